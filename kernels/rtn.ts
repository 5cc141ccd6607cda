/**
 * Round-to-nearest (RTN) weight quantization: the baseline of every quantization paper.
 * Bits 2–8, asymmetric or symmetric (full or narrow grid, see quant-grid.ts), per-tensor,
 * per-channel (per output column) or per-group (groups of `g` consecutive rows of K inside
 * each column; when g does not divide K the last group holds the K mod g remaining rows and
 * its grid is fitted to those rows only, as MatMulNBits and GPTQ do).
 */
import { InputError } from '../core/errors.js';
import { weightErrorStats } from './error-stats.js';
import { groupGrids } from './group-grids.js';
import { dequantizeCode, gridFromRange, gridKind, maxCode, minCode, quantizeToCode, type GridKind, type SymGrid } from './quant-grid.js';
import { checkGroupSize, checkShape, groupCount } from './shapes.js';
import type { Granularity, QuantizedMatrix, WeightErrorStats } from './types.js';

/** RTN options. */
export interface RtnOptions {
  /** Bit width, integer 2–8. */
  readonly bits: number;
  /** Symmetric grid (zero = 2^(bits−1)) or asymmetric with a zero point. Default false. */
  readonly symmetric?: boolean;
  /** Which symmetric grid: 'full' (default, scale 2a/(2^b − 1)) or 'narrow' (scale a/(2^(b−1) − 1)). */
  readonly symGrid?: SymGrid;
  /** 'tensor', 'channel' (default) or a group size (rows of K; the last group may be partial). */
  readonly granularity?: Granularity;
}

/** RTN result: the quantized matrix and its error statistics. */
export interface RtnResult extends QuantizedMatrix {
  readonly stats: WeightErrorStats;
}

/**
 * Quantizes W by rounding every element to its nearest grid point.
 * // W (K,N) row-major -> codes (K,N), scales/zeros (N, ceil(K/groupSize))
 */
export function quantizeRtn(W: Float32Array, K: number, N: number, options: RtnOptions): RtnResult {
  checkShape('rtn: W', W, K, N);
  checkBits(options.bits);
  const kind = gridKind(options.symmetric ?? false, options.symGrid);
  const granularity = options.granularity ?? 'channel';
  const groupSize = granularity === 'tensor' || granularity === 'channel' ? K : granularity;
  checkGroupSize(groupSize);
  const q = granularity === 'tensor'
    ? quantizePerTensor(W, K, N, options.bits, kind)
    : quantizeGroups(W, K, N, options.bits, kind, groupSize);
  const result = { ...q, granularity };
  return { ...result, stats: weightErrorStats(W, q.dequantized) };
}

/**
 * Group-wise RTN without option parsing (used by AWQ's search and by RTN itself).
 * // W (K,N) -> grids per (column, group of groupSize rows), (N, ceil(K/groupSize))
 */
export function quantizeGroups(
  W: Float32Array, K: number, N: number, bits: number, kind: GridKind, groupSize: number,
): QuantizedMatrix {
  const nGroups = groupCount(K, groupSize);
  const maxq = maxCode(bits);
  const minq = minCode(kind);
  const { scales, zeros } = groupGrids(W, K, N, groupSize, bits, kind);
  const codes = new Uint8Array(K * N);
  const dequantized = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    const g = Math.floor(k / groupSize);
    const o = k * N;
    for (let n = 0; n < N; n++) {
      const s = scales[n * nGroups + g];
      const z = zeros[n * nGroups + g];
      const c = quantizeToCode(W[o + n], s, z, maxq, minq);
      codes[o + n] = c;
      dequantized[o + n] = dequantizeCode(c, s, z);
    }
  }
  const symmetric = kind !== 'asymmetric';
  return { K, N, bits, symmetric, grid: kind, granularity: groupSize === K ? 'channel' : groupSize, groupSize, codes, scales, zeros, dequantized };
}

/** One grid for the whole tensor, repeated in every column's (N, 1) slot. */
function quantizePerTensor(W: Float32Array, K: number, N: number, bits: number, kind: GridKind): QuantizedMatrix {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < W.length; i++) {
    if (W[i] < lo) lo = W[i];
    if (W[i] > hi) hi = W[i];
  }
  const grid = gridFromRange(lo, hi, bits, kind);
  const maxq = maxCode(bits);
  const minq = minCode(kind);
  const codes = new Uint8Array(K * N);
  const dequantized = new Float32Array(K * N);
  for (let i = 0; i < W.length; i++) {
    codes[i] = quantizeToCode(W[i], grid.scale, grid.zero, maxq, minq);
    dequantized[i] = dequantizeCode(codes[i], grid.scale, grid.zero);
  }
  const scales = new Float32Array(N).fill(grid.scale);
  const zeros = new Uint8Array(N).fill(grid.zero);
  return { K, N, bits, symmetric: kind !== 'asymmetric', grid: kind, granularity: 'tensor', groupSize: K, codes, scales, zeros, dequantized };
}

/**
 * Ŵ from codes, scales and zero points (honours `groupIndex` when present).
 * // codes (K,N), scales/zeros (N, nGroups) -> Ŵ (K,N)
 */
export function dequantizeMatrix(q: Pick<QuantizedMatrix, 'K' | 'N' | 'groupSize' | 'groupIndex' | 'codes' | 'scales' | 'zeros'>): Float32Array {
  const { K, N, codes, scales, zeros } = q;
  const nGroups = scales.length / N;
  const out = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    const g = q.groupIndex ? q.groupIndex[k] : Math.floor(k / q.groupSize);
    for (let n = 0; n < N; n++) {
      const i = n * nGroups + g;
      out[k * N + n] = dequantizeCode(codes[k * N + n], scales[i], zeros[i]);
    }
  }
  return out;
}

/** Throws unless bits is an integer in 2–8. */
export function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8) {
    throw new InputError(`bits must be an integer from 2 to 8, got ${bits}`);
  }
}
