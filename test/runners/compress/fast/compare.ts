/**
 * How far a fast kernel's quantized output is from the reference's (not a test file).
 */

/** Code differences and the reconstruction distance between two quantizations of W. */
export interface CodeComparison {
  /** Codes that differ at all. */
  readonly differ: number;
  /** Codes that differ by more than 1. */
  readonly differByMore: number;
  /** ‖Ŵ_fast − Ŵ_ref‖_F / ‖W − Ŵ_ref‖_F: the disagreement against the quantization error itself. */
  readonly reconstruction: number;
}

/** Compares codes and dequantized weights of the fast and the reference result. */
export function compareCodes(W: Float32Array, ref: { codes: Uint8Array; dequantized: Float32Array }, fast: { codes: Uint8Array; dequantized: Float32Array }): CodeComparison {
  let differ = 0;
  let differByMore = 0;
  let num = 0;
  let den = 0;
  for (let i = 0; i < W.length; i++) {
    const d = Math.abs(ref.codes[i] - fast.codes[i]);
    if (d > 0) differ++;
    if (d > 1) differByMore++;
    num += (fast.dequantized[i] - ref.dequantized[i]) ** 2;
    den += (W[i] - ref.dequantized[i]) ** 2;
  }
  return { differ, differByMore, reconstruction: Math.sqrt(num / den) };
}
