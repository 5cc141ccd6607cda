/**
 * NormalFloat-4 (NF4) quantization, QLoRA (Dettmers et al. 2023): 16 levels at quantiles
 * of N(0,1) normalised to [−1, 1], blockwise absmax scaling (block 64), and optional
 * double quantization of the absmax scales (see nf4-double-quant.ts).
 *
 * Blocks run along K inside each output column, i.e. over the input features of one
 * output — the same elements bitsandbytes blocks together on a torch weight (out, in)
 * flattened row-major when the block size divides K. When it does not, the last block of
 * each column is partial (K mod blockSize elements, its absmax over those only), as
 * MatMulNBits and llama.cpp do; bitsandbytes would instead let blocks run on across
 * rows of the flattened weight.
 */
import { InputError } from '../core/errors.js';
import { weightErrorStats } from './error-stats.js';
import { doubleQuantizeAbsmax, type DoubleQuantizedAbsmax } from './nf4-double-quant.js';
import { checkShape, groupCount } from './shapes.js';
import type { WeightErrorStats } from './types.js';

/**
 * The 16 NF4 values, copied from bitsandbytes (bitsandbytes/functional.py `get_4bit_type('nf4')`,
 * identical to the constants of `dDequantizeNF4` in csrc/kernels.cu). Index = 4-bit code.
 */
export const NF4_CODEBOOK: readonly number[] = Object.freeze([
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
  -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
  0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
  0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
]);

/** NF4 options. */
export interface Nf4Options {
  /** Elements per absmax block along K; the last block may be partial. Default 64 (QLoRA). */
  readonly blockSize?: number;
  /** Quantize the absmax scales to 8 bits in blocks of 256 (QLoRA's double quantization). */
  readonly doubleQuant?: boolean;
}

/** NF4 result. */
export interface Nf4Result {
  readonly K: number;
  readonly N: number;
  readonly blockSize: number;
  /** Codebook indices 0–15, W's layout (K,N). */
  readonly codes: Uint8Array;
  /** Absmax per block in float32, (N, ceil(K/blockSize)). */
  readonly absmax: Float32Array;
  /** The absmax actually used for dequantization (after double quantization when on). */
  readonly absmaxUsed: Float32Array;
  /** Double-quantization state, when requested. */
  readonly doubleQuant?: DoubleQuantizedAbsmax;
  /** Ŵ = NF4[code]·absmaxUsed, (K,N). */
  readonly dequantized: Float32Array;
  readonly stats: WeightErrorStats;
}

// Midpoints between consecutive codebook values: the decision boundaries of nearest rounding.
const MIDPOINTS = NF4_CODEBOOK.slice(1).map((v, i) => (v + NF4_CODEBOOK[i]) / 2);

/** Index of the NF4 value nearest to x ∈ [−1, 1] (ties go to the upper value). */
export function nearestNf4(x: number): number {
  let lo = 0;
  let hi = MIDPOINTS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x >= MIDPOINTS[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Quantizes W to NF4 with blockwise absmax.
 * // W (K,N) -> codes (K,N), absmax (N, ceil(K/blockSize))
 */
export function quantizeNf4(W: Float32Array, K: number, N: number, options: Nf4Options = {}): Nf4Result {
  checkShape('nf4: W', W, K, N);
  const blockSize = options.blockSize ?? 64;
  if (!Number.isInteger(blockSize) || blockSize <= 0) {
    throw new InputError(`nf4: blockSize must be a positive integer, got ${blockSize}`);
  }
  const nBlocks = groupCount(K, blockSize);
  const absmax = new Float32Array(N * nBlocks);
  for (let k = 0; k < K; k++) {
    const b = Math.floor(k / blockSize);
    for (let n = 0; n < N; n++) {
      const a = Math.abs(W[k * N + n]);
      if (a > absmax[n * nBlocks + b]) absmax[n * nBlocks + b] = a;
    }
  }
  const codes = new Uint8Array(K * N);
  for (let k = 0; k < K; k++) {
    const b = Math.floor(k / blockSize);
    for (let n = 0; n < N; n++) {
      const m = absmax[n * nBlocks + b];
      codes[k * N + n] = m === 0 ? 7 : nearestNf4(W[k * N + n] / m);
    }
  }
  const dq = options.doubleQuant ? doubleQuantizeAbsmax(absmax) : undefined;
  const absmaxUsed = dq ? dq.dequantized : absmax;
  const dequantized = dequantizeNf4(codes, absmaxUsed, K, N, blockSize);
  return {
    K, N, blockSize, codes, absmax, absmaxUsed, dequantized,
    ...(dq ? { doubleQuant: dq } : {}),
    stats: weightErrorStats(W, dequantized),
  };
}

/**
 * Ŵ = NF4[code]·absmax of the element's block.
 * // codes (K,N), absmax (N, ceil(K/blockSize)) -> Ŵ (K,N)
 */
export function dequantizeNf4(codes: Uint8Array, absmax: Float32Array, K: number, N: number, blockSize: number): Float32Array {
  const nBlocks = groupCount(K, blockSize);
  const out = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    const b = Math.floor(k / blockSize);
    for (let n = 0; n < N; n++) out[k * N + n] = NF4_CODEBOOK[codes[k * N + n]] * absmax[n * nBlocks + b];
  }
  return out;
}
