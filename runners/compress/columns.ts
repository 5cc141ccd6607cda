/**
 * Concatenating weights that read the same input (q|k|v, gate|up) along N and splitting
 * kernel results back per matrix: AWQ and SmoothQuant need one input scale s per input
 * tensor, so the matrices sharing it are scaled and searched together.
 */
import type { QuantizedMatrix } from '../../kernels/index.js';

/** Column range [start, end) of each part in a concatenation. */
export type ColumnRanges = readonly (readonly [number, number])[];

/**
 * [W_0 | W_1 | …] along N.
 * // W_i (K, N_i) -> (K, ΣN_i)
 */
export function concatColumns(parts: readonly Float32Array[], K: number, widths: readonly number[]): { W: Float32Array; N: number; ranges: ColumnRanges } {
  const N = widths.reduce((a, b) => a + b, 0);
  const W = new Float32Array(K * N);
  const ranges: [number, number][] = [];
  let c = 0;
  parts.forEach((P, i) => {
    const w = widths[i];
    for (let k = 0; k < K; k++) W.set(P.subarray(k * w, (k + 1) * w), k * N + c);
    ranges.push([c, c + w]);
    c += w;
  });
  return { W, N, ranges };
}

/**
 * Columns [c0, c1) of a row-major (K,N) array.
 * // (K,N) -> (K, c1−c0)
 */
export function sliceColumns<T extends Float32Array | Uint8Array | Int8Array>(A: T, K: number, N: number, c0: number, c1: number): T {
  const w = c1 - c0;
  const out = new (A.constructor as new (n: number) => T)(K * w);
  for (let k = 0; k < K; k++) out.set(A.subarray(k * N + c0, k * N + c1), k * w);
  return out;
}

/** The part of a quantized concatenation covering columns [c0, c1): codes, grids (N, nGroups) and Ŵ. */
export function sliceQuantized(q: QuantizedMatrix, c0: number, c1: number): QuantizedMatrix {
  const nGroups = q.scales.length / q.N;
  return {
    K: q.K, N: c1 - c0, bits: q.bits, symmetric: q.symmetric, grid: q.grid, granularity: q.granularity, groupSize: q.groupSize,
    ...(q.groupIndex ? { groupIndex: q.groupIndex } : {}),
    codes: sliceColumns(q.codes, q.K, q.N, c0, c1),
    scales: q.scales.slice(c0 * nGroups, c1 * nGroups),
    zeros: q.zeros.slice(c0 * nGroups, c1 * nGroups),
    dequantized: sliceColumns(q.dequantized, q.K, q.N, c0, c1),
  };
}
