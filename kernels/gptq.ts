/**
 * GPTQ (Frantar et al. 2022, "GPTQ: Accurate Post-Training Quantization for Generative
 * Pre-trained Transformers"): quantize W one input row at a time and spread each row's
 * rounding error over the rows not yet quantized, weighted by the inverse Hessian
 * H = (2/T)·XᵀX, so the layer output XW moves as little as possible.
 *
 * Follows the reference `fasterquant` (github.com/IST-DASLab/gptq): dead inputs (H_ii = 0)
 * are zeroed, dampening adds `damp`·mean(diag H) to the diagonal, U = upper Cholesky factor
 * of H⁻¹, blocks of `blockSize` rows with lazy batch updates of the rows after the block,
 * optional act-order (descending diag H) and groups whose grid is recomputed at each group
 * boundary on the permuted order ("static groups" off), or on the original order before
 * permuting when `staticGroups` is on (which keeps groups contiguous, hence packable).
 * When the group size does not divide K the last group is partial (the reference slices
 * `W[:, i:i+groupsize]`, which stops at K), and its grid covers only its rows.
 * One deviation: a group's grid is computed from the row values updated so far inside the
 * current block (the reference reads the block's stale copy when groupSize < blockSize).
 *
 * Our W (K,N) is the transpose of torch's (out, in) weight, so the reference's "column i"
 * is our row i: contiguous, which keeps the hot loops row-major.
 */
import { InputError } from '../core/errors.js';
import { upperCholeskyOfInverse } from './cholesky.js';
import { outputErrorRatio, weightErrorStats } from './error-stats.js';
import { gptqSweep, type SweepOutput } from './gptq-sweep.js';
import { layerHessian } from './hessian.js';
import { groupGrids } from './group-grids.js';
import { gridKind, type GridKind, type SymGrid } from './quant-grid.js';
import { checkBits } from './rtn.js';
import { calibrationTokens, checkGroupSize, checkShape } from './shapes.js';
import type { ErrorStats, QuantizedMatrix } from './types.js';

/** GPTQ options. */
export interface GptqOptions {
  /** Bit width 2–8. */
  readonly bits: number;
  /** Symmetric grid (zero = 2^(bits−1)); default false. */
  readonly symmetric?: boolean;
  /** Which symmetric grid: 'full' (default) or 'narrow' (quant-grid.ts). */
  readonly symGrid?: SymGrid;
  /** 'channel' (default) or a group size (rows of K; the last group may be partial). */
  readonly group?: 'channel' | number;
  /** Dampening as a fraction of mean(diag H); default 0.01. */
  readonly damp?: number;
  /** Rows per lazy-update block; default 128. */
  readonly blockSize?: number;
  /** Quantize rows in order of descending diag(H); default false. */
  readonly actOrder?: boolean;
  /** Compute group grids on the original order before act-order; default false. */
  readonly staticGroups?: boolean;
}

/** GPTQ result: the quantized matrix, error statistics and what the run did. */
export interface GptqResult extends QuantizedMatrix {
  readonly stats: ErrorStats;
  /** Rows in the order they were quantized (act-order), else absent. */
  readonly permutation?: Int32Array;
  /** Inputs never active in the calibration data (H_ii = 0); their rows are zeroed. */
  readonly deadInputs: number;
}

/**
 * Quantizes W with GPTQ on calibration inputs X.
 * // W (K,N), X (T,K) -> codes (K,N), scales/zeros (N, ceil(K/groupSize))
 */
export function quantizeGptq(W: Float32Array, K: number, N: number, X: Float32Array, options: GptqOptions): GptqResult {
  const T = checkGptqInputs(W, K, N, X, options);
  const prep = prepareGptq(W, K, N, layerHessian(X, T, K), options);
  const U = upperCholeskyOfInverse(prep.H, K);
  if (!U) throw new InputError(`gptq: the damped Hessian is not positive definite; raise damp above ${prep.damp}`);
  const sweep = gptqSweep({ ...prep, U, K, N });
  const result = finishGptq(prep, K, N, sweep);
  return { ...result, stats: { ...weightErrorStats(W, result.dequantized), outputError: outputErrorRatio(X, T, K, W, result.dequantized, N) } };
}

/** Checks shapes, bits and calibration input; returns the token count T. */
export function checkGptqInputs(W: Float32Array, K: number, N: number, X: Float32Array, options: GptqOptions): number {
  checkShape('gptq: W', W, K, N);
  checkBits(options.bits);
  return calibrationTokens('gptq', X, K);
}

/** Everything GPTQ decided before the Cholesky: resolved options, working copy, order, damped H. */
export interface GptqPrepared {
  readonly bits: number;
  readonly symmetric: boolean;
  readonly kind: GridKind;
  readonly groupSize: number;
  readonly blockSize: number;
  readonly damp: number;
  readonly staticGroups: boolean;
  /** Working weights (K,N), dead rows zeroed, rows in quantization order. */
  readonly Wp: Float32Array;
  /** Damped Hessian (K,K) in quantization order (consumed by the Cholesky). */
  readonly H: Float64Array;
  readonly deadInputs: number;
  readonly staticGrids?: { scales: Float32Array; zeros: Uint8Array };
  readonly perm?: Int32Array;
}

/**
 * Resolves options, zeroes dead inputs, computes static grids, applies act-order and
 * dampens H (the reference's steps before `torch.linalg.cholesky`). H is modified in place.
 * // W (K,N), H (K,K) = (2/T)·XᵀX
 */
export function prepareGptq(W: Float32Array, K: number, N: number, Hin: Float64Array, options: GptqOptions): GptqPrepared {
  const symmetric = options.symmetric ?? false;
  const kind = gridKind(symmetric, options.symGrid);
  const groupSize = options.group === undefined || options.group === 'channel' ? K : options.group;
  checkGroupSize(groupSize);
  const damp = options.damp ?? 0.01;
  if (!(damp >= 0)) throw new InputError(`gptq: damp must be ≥ 0, got ${damp}`);
  const blockSize = options.blockSize ?? 128;
  if (!Number.isInteger(blockSize) || blockSize <= 0) throw new InputError(`gptq: blockSize must be a positive integer, got ${blockSize}`);
  const actOrder = options.actOrder ?? false;
  const staticGroups = (options.staticGroups ?? false) && groupSize < K;

  let H = Hin;
  const Wp = Float32Array.from(W); // working copy, rows in quantization order
  let deadInputs = 0;
  for (let k = 0; k < K; k++) {
    if (H[k * K + k] === 0) {
      H[k * K + k] = 1;
      Wp.fill(0, k * N, (k + 1) * N);
      deadInputs++;
    }
  }
  const staticGrids = staticGroups ? groupGrids(Wp, K, N, groupSize, options.bits, kind) : undefined;
  let perm: Int32Array | undefined;
  if (actOrder) {
    perm = descendingDiagOrder(H, K);
    H = permuteSymmetric(H, K, perm);
    permuteRowsInPlace(Wp, K, N, perm);
  }
  let meanDiag = 0;
  for (let k = 0; k < K; k++) meanDiag += H[k * K + k];
  meanDiag /= K;
  for (let k = 0; k < K; k++) H[k * K + k] += damp * meanDiag;
  return {
    bits: options.bits, symmetric, kind, groupSize, blockSize, damp, staticGroups, Wp, H, deadInputs,
    ...(staticGrids ? { staticGrids } : {}),
    ...(perm ? { perm } : {}),
  };
}

/**
 * Puts the sweep's rows back in the original order and assembles the quantized matrix
 * (without error statistics, which the caller measures).
 */
export function finishGptq(prep: GptqPrepared, K: number, N: number, sweep: SweepOutput): Omit<GptqResult, 'stats'> {
  const { perm, groupSize, staticGroups, staticGrids } = prep;
  const codes = new Uint8Array(K * N);
  const dequantized = new Float32Array(K * N);
  let groupIndex: Int32Array | undefined;
  if (perm && groupSize < K && !staticGroups) groupIndex = new Int32Array(K);
  for (let r = 0; r < K; r++) {
    const k = perm ? perm[r] : r;
    codes.set(sweep.codes.subarray(r * N, (r + 1) * N), k * N);
    dequantized.set(sweep.dequantized.subarray(r * N, (r + 1) * N), k * N);
    if (groupIndex) groupIndex[k] = Math.floor(r / groupSize);
  }
  const scales = staticGrids ? staticGrids.scales : sweep.scales;
  const zeros = staticGrids ? staticGrids.zeros : sweep.zeros;
  return {
    K, N, bits: prep.bits, symmetric: prep.symmetric, grid: prep.kind, granularity: groupSize === K ? 'channel' : groupSize, groupSize,
    codes, scales, zeros, dequantized, deadInputs: prep.deadInputs,
    ...(groupIndex ? { groupIndex } : {}),
    ...(perm ? { permutation: perm } : {}),
  };
}

/** Row indices sorted by descending diag(H), ties by index (stable). */
function descendingDiagOrder(H: Float64Array, K: number): Int32Array {
  const idx = Array.from({ length: K }, (_, i) => i);
  idx.sort((a, b) => H[b * K + b] - H[a * K + a] || a - b);
  return Int32Array.from(idx);
}

/** P·H·Pᵀ: out[i][j] = H[perm[i]][perm[j]]. */
function permuteSymmetric(H: Float64Array, K: number, perm: Int32Array): Float64Array {
  const out = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    const src = perm[i] * K;
    const dst = i * K;
    for (let j = 0; j < K; j++) out[dst + j] = H[src + perm[j]];
  }
  return out;
}

/** Reorders the rows of W (K,N) so that row i becomes old row perm[i]. */
function permuteRowsInPlace(W: Float32Array, K: number, N: number, perm: Int32Array): void {
  const copy = Float32Array.from(W);
  for (let i = 0; i < K; i++) W.set(copy.subarray(perm[i] * N, (perm[i] + 1) * N), i * N);
}
