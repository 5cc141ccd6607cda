/**
 * Grids for groups of rows: one (scale, zero) per output column and group of consecutive
 * rows of K, stored (N, nGroups) as MatMulNBits stores its scales.
 */
import { gridFromRange } from './quant-grid.js';

/** Grids for every (column, group) of W in its current row order. */
export function groupGrids(W: Float32Array, K: number, N: number, groupSize: number, bits: number, symmetric: boolean): { scales: Float32Array; zeros: Uint8Array } {
  const nGroups = K / groupSize;
  const scales = new Float32Array(N * nGroups);
  const zeros = new Uint8Array(N * nGroups);
  for (let g = 0; g < nGroups; g++) setGroupGrids(W, N, g * groupSize, (g + 1) * groupSize, bits, symmetric, scales, zeros, nGroups, g);
  return { scales, zeros };
}

/** Fills scales/zeros[(n, g)] from the min/max of rows [r0, r1) of every column. */
export function setGroupGrids(
  W: Float32Array, N: number, r0: number, r1: number, bits: number, symmetric: boolean,
  scales: Float32Array, zeros: Uint8Array, nGroups: number, g: number,
): void {
  const lo = new Float64Array(N).fill(Infinity);
  const hi = new Float64Array(N).fill(-Infinity);
  for (let r = r0; r < r1; r++) {
    const o = r * N;
    for (let n = 0; n < N; n++) {
      const v = W[o + n];
      if (v < lo[n]) lo[n] = v;
      if (v > hi[n]) hi[n] = v;
    }
  }
  for (let n = 0; n < N; n++) {
    const grid = gridFromRange(lo[n], hi[n], bits, symmetric);
    scales[n * nGroups + g] = grid.scale;
    zeros[n * nGroups + g] = grid.zero;
  }
}
