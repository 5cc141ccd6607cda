/**
 * Group-wise RTN of diag(s)·W without materializing it (AWQ's candidates and its final
 * quantization): per group of rows, one pass for the grid (min/max of the float32 values
 * s_k·W[k,n], as kernels/awq.ts `scaleRows` stores them) and one for the codes, with the
 * group's grid held in contiguous arrays while its rows are quantized (the (N, groups)
 * table is strided by column). Every value is rounded to float32 where kernels/awq.ts and
 * kernels/rtn.ts `quantizeGroups` store it, so the results are theirs bit for bit
 * (round-code.ts rounds as `roundHalfEven` does).
 */
import { dequantizeCode, gridFromRange, groupCount, maxCode, minCode, type GridKind } from '../../../kernels/index.js';
import { quantizeCodeFast } from './round-code.js';

/** The grid of one group for every column, contiguous. */
interface GroupGrid {
  readonly scale: Float32Array;
  readonly zero: Uint8Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

function groupGrid(N: number): GroupGrid {
  return { scale: new Float32Array(N), zero: new Uint8Array(N), lo: new Float64Array(N), hi: new Float64Array(N) };
}

/** Grids of rows [r0, r1) of diag(s)·W from their min/max per column. */
function setGrid(W: Float32Array, N: number, s: Float32Array, r0: number, r1: number, bits: number, kind: GridKind, grid: GroupGrid): void {
  const { lo, hi } = grid;
  lo.fill(Infinity);
  hi.fill(-Infinity);
  for (let k = r0; k < r1; k++) {
    const o = k * N;
    const sk = s[k];
    for (let n = 0; n < N; n++) {
      const v = Math.fround(W[o + n] * sk);
      if (v < lo[n]) lo[n] = v;
      if (v > hi[n]) hi[n] = v;
    }
  }
  for (let n = 0; n < N; n++) {
    const g = gridFromRange(lo[n], hi[n], bits, kind);
    grid.scale[n] = g.scale;
    grid.zero[n] = g.zero;
  }
}

/**
 * W − diag(1/s)·Q(diag(s)·W) into columns [offset, offset + N) of D (row width `width`).
 * // W (K,N), s (K,) -> D (K,width)
 */
export function scaledGroupDifference(
  W: Float32Array, K: number, N: number, s: Float32Array, bits: number, kind: GridKind, groupSize: number,
  D: Float32Array, width: number, offset: number,
): void {
  const maxq = maxCode(bits);
  const minq = minCode(kind);
  const grid = groupGrid(N);
  const { scale, zero } = grid;
  for (let r0 = 0; r0 < K; r0 += groupSize) {
    const r1 = Math.min(K, r0 + groupSize);
    setGrid(W, N, s, r0, r1, bits, kind, grid);
    for (let k = r0; k < r1; k++) {
      const o = k * N;
      const d = k * width + offset;
      const sk = s[k];
      for (let n = 0; n < N; n++) {
        const w = W[o + n];
        const q = dequantizeCode(quantizeCodeFast(Math.fround(w * sk), scale[n], zero[n], maxq, minq), scale[n], zero[n]);
        D[d + n] = w - Math.fround(q / sk);
      }
    }
  }
}

/** Q(diag(s)·W) as kernels/rtn.ts `quantizeGroups` returns it, and diag(1/s)·Q(diag(s)·W). */
export interface ScaledGroups {
  readonly codes: Uint8Array;
  /** (N, ceil(K/groupSize)). */
  readonly scales: Float32Array;
  readonly zeros: Uint8Array;
  /** Q(diag(s)·W) (K,N). */
  readonly dequantized: Float32Array;
  /** diag(1/s)·Q(diag(s)·W) (K,N). */
  readonly effective: Float32Array;
}

/**
 * Codes, grids and both dequantized forms of diag(s)·W.
 * // W (K,N), s (K,) -> (K,N)
 */
export function quantizeScaledGroups(W: Float32Array, K: number, N: number, s: Float32Array, bits: number, kind: GridKind, groupSize: number): ScaledGroups {
  const nGroups = groupCount(K, groupSize);
  const maxq = maxCode(bits);
  const minq = minCode(kind);
  const out: ScaledGroups = {
    codes: new Uint8Array(K * N), scales: new Float32Array(N * nGroups), zeros: new Uint8Array(N * nGroups),
    dequantized: new Float32Array(K * N), effective: new Float32Array(K * N),
  };
  const grid = groupGrid(N);
  const { scale, zero } = grid;
  for (let g = 0; g < nGroups; g++) {
    const r0 = g * groupSize;
    const r1 = Math.min(K, r0 + groupSize);
    setGrid(W, N, s, r0, r1, bits, kind, grid);
    for (let n = 0; n < N; n++) {
      out.scales[n * nGroups + g] = scale[n];
      out.zeros[n * nGroups + g] = zero[n];
    }
    for (let k = r0; k < r1; k++) {
      const o = k * N;
      const sk = s[k];
      for (let n = 0; n < N; n++) {
        const c = quantizeCodeFast(Math.fround(W[o + n] * sk), scale[n], zero[n], maxq, minq);
        const q = dequantizeCode(c, scale[n], zero[n]);
        out.codes[o + n] = c;
        out.dequantized[o + n] = q;
        out.effective[o + n] = q / sk;
      }
    }
  }
  return out;
}
