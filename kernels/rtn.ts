/**
 * Round-to-nearest (RTN) weight quantization: the baseline of every quantization paper.
 * Bits 2–8, symmetric or asymmetric, per-tensor, per-channel (per output column) or
 * per-group (groups of `g` consecutive rows of K inside each column).
 */
import { InputError } from '../core/errors.js';
import { weightErrorStats } from './error-stats.js';
import { groupGrids } from './group-grids.js';
import { dequantizeCode, gridFromRange, maxCode, quantizeToCode } from './quant-grid.js';
import { checkGroupSize, checkShape } from './shapes.js';
import type { Granularity, QuantizedMatrix, WeightErrorStats } from './types.js';

/** RTN options. */
export interface RtnOptions {
  /** Bit width, integer 2–8. */
  readonly bits: number;
  /** Symmetric grid (zero = 2^(bits−1)) or asymmetric with a zero point. Default false. */
  readonly symmetric?: boolean;
  /** 'tensor', 'channel' (default) or a group size dividing K. */
  readonly granularity?: Granularity;
}

/** RTN result: the quantized matrix and its error statistics. */
export interface RtnResult extends QuantizedMatrix {
  readonly stats: WeightErrorStats;
}

/**
 * Quantizes W by rounding every element to its nearest grid point.
 * // W (K,N) row-major -> codes (K,N), scales/zeros (N, K/groupSize)
 */
export function quantizeRtn(W: Float32Array, K: number, N: number, options: RtnOptions): RtnResult {
  checkShape('rtn: W', W, K, N);
  checkBits(options.bits);
  const symmetric = options.symmetric ?? false;
  const granularity = options.granularity ?? 'channel';
  const groupSize = granularity === 'tensor' || granularity === 'channel' ? K : granularity;
  checkGroupSize(groupSize, K);
  const q = granularity === 'tensor'
    ? quantizePerTensor(W, K, N, options.bits, symmetric)
    : quantizeGroups(W, K, N, options.bits, symmetric, groupSize);
  const result = { ...q, granularity };
  return { ...result, stats: weightErrorStats(W, q.dequantized) };
}

/**
 * Group-wise RTN without option parsing (used by AWQ's search and by RTN itself).
 * // W (K,N) -> grids per (column, group of groupSize rows)
 */
export function quantizeGroups(
  W: Float32Array, K: number, N: number, bits: number, symmetric: boolean, groupSize: number,
): QuantizedMatrix {
  const nGroups = K / groupSize;
  const maxq = maxCode(bits);
  const { scales, zeros } = groupGrids(W, K, N, groupSize, bits, symmetric);
  const codes = new Uint8Array(K * N);
  const dequantized = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    const g = Math.floor(k / groupSize);
    const o = k * N;
    for (let n = 0; n < N; n++) {
      const s = scales[n * nGroups + g];
      const z = zeros[n * nGroups + g];
      const c = quantizeToCode(W[o + n], s, z, maxq);
      codes[o + n] = c;
      dequantized[o + n] = dequantizeCode(c, s, z);
    }
  }
  return { K, N, bits, symmetric, granularity: groupSize === K ? 'channel' : groupSize, groupSize, codes, scales, zeros, dequantized };
}

/** One grid for the whole tensor, repeated in every column's (N, 1) slot. */
function quantizePerTensor(W: Float32Array, K: number, N: number, bits: number, symmetric: boolean): QuantizedMatrix {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < W.length; i++) {
    if (W[i] < lo) lo = W[i];
    if (W[i] > hi) hi = W[i];
  }
  const grid = gridFromRange(lo, hi, bits, symmetric);
  const maxq = maxCode(bits);
  const codes = new Uint8Array(K * N);
  const dequantized = new Float32Array(K * N);
  for (let i = 0; i < W.length; i++) {
    codes[i] = quantizeToCode(W[i], grid.scale, grid.zero, maxq);
    dequantized[i] = dequantizeCode(codes[i], grid.scale, grid.zero);
  }
  const scales = new Float32Array(N).fill(grid.scale);
  const zeros = new Uint8Array(N).fill(grid.zero);
  return { K, N, bits, symmetric, granularity: 'tensor', groupSize: K, codes, scales, zeros, dequantized };
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
