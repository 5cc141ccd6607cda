/**
 * Grids for groups of rows: one (scale, zero) per output column and group of consecutive
 * rows of K, stored (N, nGroups) as MatMulNBits stores its scales. The last group is
 * partial when groupSize does not divide K; its grid covers only its real rows.
 */
import { gridFromRange, type GridKind } from './quant-grid.js';
import { groupCount } from './shapes.js';

/**
 * Grids for every (column, group) of W in its current row order.
 * // W (K,N) -> scales/zeros (N, ceil(K/groupSize))
 */
export function groupGrids(W: Float32Array, K: number, N: number, groupSize: number, bits: number, kind: GridKind): { scales: Float32Array; zeros: Uint8Array } {
  const nGroups = groupCount(K, groupSize);
  const scales = new Float32Array(N * nGroups);
  const zeros = new Uint8Array(N * nGroups);
  for (let g = 0; g < nGroups; g++) setGroupGrids(W, N, g * groupSize, Math.min(K, (g + 1) * groupSize), bits, kind, scales, zeros, nGroups, g);
  return { scales, zeros };
}

/** Fills scales/zeros[(n, g)] from the min/max of rows [r0, r1) of every column. */
export function setGroupGrids(
  W: Float32Array, N: number, r0: number, r1: number, bits: number, kind: GridKind,
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
    const grid = gridFromRange(lo[n], hi[n], bits, kind);
    scales[n * nGroups + g] = grid.scale;
    zeros[n * nGroups + g] = grid.zero;
  }
}
