/**
 * LLM.int8() (Dettmers, Lewis, Belkada, Zettlemoyer 2022, "LLM.int8(): 8-bit Matrix
 * Multiplication for Transformers at Scale"; bitsandbytes' default 8-bit): vector-wise
 * int8 with a mixed-precision decomposition. Input feature dimensions holding an
 * activation of magnitude ≥ threshold (6.0 in the paper) are outliers: their rows of W
 * stay fp32 and are multiplied in fp32; every other row is quantized to int8 with one
 * absmax scale per output column, and the activations of those features with one absmax
 * scale per token (row):
 *   XW ≈ Σ_{k∈O} X_k W_k  +  s_x ⊗ s_w · Σ_{k∉O} round(X_k/s_x) · round(W_k/s_w)
 * Outliers are found once on the calibration activations (bitsandbytes finds them per
 * batch at run time; a static graph needs a fixed set).
 */
import { InputError } from '../core/errors.js';
import { outputErrorRatio, weightErrorStats } from './error-stats.js';
import { matmul, relativeSquaredError } from './matmul.js';
import { roundHalfEven } from './quant-grid.js';
import { quantizeRtn } from './rtn.js';
import { calibrationTokens, checkShape } from './shapes.js';
import type { ErrorStats, QuantizedMatrix } from './types.js';

/** The paper's outlier threshold on |activation|. */
export const LLM_INT8_THRESHOLD = 6;

/** Largest int8 code of the absmax grid (±127; −128 unused, as in the paper). */
const Q = 127;

/** LLM.int8() of one weight. */
export interface LlmInt8Result {
  /** Input features kept fp32, ascending. */
  readonly outliers: Int32Array;
  /**
   * The int8 part as MatMulNBits-style codes: 8 bits, symmetric-narrow per column
   * (scale absmax/127, zero point 128); outlier rows hold the zero point (they dequantize to 0).
   */
  readonly quantized: QuantizedMatrix;
  /** W's outlier rows, fp32 (|O|, N). */
  readonly outlierWeight: Float32Array;
  /** Ŵ (K,N): int8 rows dequantized, outlier rows fp32 (the weight-only simulated form). */
  readonly effectiveWeight: Float32Array;
  /**
   * Weight errors; outputError is weight-only (Ŵ on X). activationOutputError adds the
   * per-token int8 activations: ‖XW − LLM.int8(X)‖²/‖XW‖² on at most `errorTokens` tokens.
   */
  readonly stats: ErrorStats & { readonly activationOutputError: number };
}

/**
 * Input features with max_t |X[t,k]| ≥ threshold.
 * // X (T,K) -> indices (ascending)
 */
export function outlierFeatures(X: Float32Array, T: number, K: number, threshold: number): Int32Array {
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new InputError(`llm-int8: threshold must be a positive number, got ${threshold}`);
  const hit = new Uint8Array(K);
  for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) if (Math.abs(X[t * K + k]) >= threshold) hit[k] = 1;
  const out: number[] = [];
  for (let k = 0; k < K; k++) if (hit[k]) out.push(k);
  return Int32Array.from(out);
}

/**
 * Decomposes and quantizes W for the activations X.
 * // W (K,N), X (T,K) -> codes (K,N), outlier rows (|O|,N)
 */
export function quantizeLlmInt8(W: Float32Array, K: number, N: number, X: Float32Array, options: { threshold: number; errorTokens?: number }): LlmInt8Result {
  checkShape('llm-int8: W', W, K, N);
  const T = calibrationTokens('llm-int8', X, K);
  const outliers = outlierFeatures(X, T, K, options.threshold);
  const isOutlier = new Uint8Array(K);
  for (const k of outliers) isOutlier[k] = 1;
  const regular = Float32Array.from(W, (w, i) => (isOutlier[Math.floor(i / N)] ? 0 : w));
  const q = quantizeRtn(regular, K, N, { bits: 8, symmetric: true, symGrid: 'narrow', granularity: 'channel' });
  const outlierWeight = new Float32Array(outliers.length * N);
  const effectiveWeight = Float32Array.from(q.dequantized);
  outliers.forEach((k, i) => {
    for (let n = 0; n < N; n++) {
      outlierWeight[i * N + n] = W[k * N + n];
      effectiveWeight[k * N + n] = W[k * N + n];
    }
  });
  const Te = Math.min(T, options.errorTokens ?? T);
  const Xe = X.subarray(0, Te * K);
  const { stats: _ignored, ...quantized } = q;
  const result = { outliers, quantized, outlierWeight, effectiveWeight };
  const exact = matmul(Xe, Te, K, W, N);
  const approx = llmInt8Matmul(Xe, Te, K, result);
  return {
    ...result,
    stats: {
      ...weightErrorStats(W, effectiveWeight),
      outputError: outputErrorRatio(X, T, K, W, effectiveWeight, N),
      activationOutputError: relativeSquaredError(exact, approx),
    },
  };
}

/**
 * The LLM.int8() product: per-token absmax int8 activations of the regular features times
 * the int8 codes, summed exactly as integers, rescaled, plus the fp32 outlier product.
 * // X (T,K) -> Y (T,N)
 */
export function llmInt8Matmul(X: Float32Array, T: number, K: number, r: Pick<LlmInt8Result, 'outliers' | 'quantized' | 'outlierWeight'>): Float32Array {
  const { N, codes, scales, zeros } = r.quantized;
  const isOutlier = new Uint8Array(K);
  for (const k of r.outliers) isOutlier[k] = 1;
  const Y = new Float32Array(T * N);
  const xq = new Int32Array(K);
  const acc = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    let absmax = 0;
    for (let k = 0; k < K; k++) if (!isOutlier[k]) absmax = Math.max(absmax, Math.abs(X[t * K + k]));
    const sx = absmax / Q;
    for (let k = 0; k < K; k++) xq[k] = isOutlier[k] || sx === 0 ? 0 : roundHalfEven(X[t * K + k] / sx);
    acc.fill(0);
    for (let k = 0; k < K; k++) {
      if (xq[k] === 0) continue;
      for (let n = 0; n < N; n++) acc[n] += xq[k] * (codes[k * N + n] - zeros[n]);
    }
    for (let n = 0; n < N; n++) {
      let y = acc[n] * sx * scales[n];
      r.outliers.forEach((k, i) => { y += X[t * K + k] * r.outlierWeight[i * N + n]; });
      Y[t * N + n] = y;
    }
  }
  return Y;
}
