/**
 * AWQ (Lin et al. 2023, "AWQ: Activation-aware Weight Quantization for LLM Compression
 * and Acceleration"): scale each input channel k of W by s_k = mean|x_k|^α before RTN so
 * the channels that see large activations get finer grids; the layer stays exact before
 * rounding because the caller folds 1/s into the preceding op: X·W = (X/s)·(s·W).
 *
 * Follows the reference `auto_scale` search (github.com/mit-han-lab/llm-awq): α over
 * {0, 1/n, …, (n−1)/n} (n = 20), s = mean|x|^α clamped at 1e−4 and divided by
 * sqrt(max(s)·min(s)), keep the α with the lowest output error of (X/s)·Q(s·W) against X·W.
 * Then RTN with the same bits/group. The clipping search (`auto_clip`) is not done.
 */
import { InputError } from '../core/errors.js';
import { outputErrorRatio, weightErrorStats } from './error-stats.js';
import { columnAbsStats } from './matmul.js';
import { gridKind, type GridKind, type SymGrid } from './quant-grid.js';
import { checkBits, quantizeGroups } from './rtn.js';
import { calibrationTokens, checkGroupSize, checkShape } from './shapes.js';
import type { ErrorStats, QuantizedMatrix } from './types.js';

/** AWQ options. */
export interface AwqOptions {
  readonly bits: number;
  /** Default false (the reference uses zero points). */
  readonly symmetric?: boolean;
  /** Which symmetric grid: 'full' (default) or 'narrow' (quant-grid.ts). */
  readonly symGrid?: SymGrid;
  /** 'channel' or a group size (the last group may be partial); default 128 when it divides K, else 'channel'. */
  readonly group?: 'channel' | number;
  /** Number of α values tried, α = i/gridPoints; default 20. */
  readonly gridPoints?: number;
  /** Tokens (evenly spaced) used to score each α; default 256. Final stats use all. */
  readonly searchMaxTokens?: number;
  /** Output columns (evenly spaced) used to score each α; default 1024. The error is a
   * sum over independent columns, so a column sample estimates it without bias. */
  readonly searchMaxColumns?: number;
}

/** AWQ result: the quantized s·W plus what the caller needs to fold 1/s. */
export interface AwqResult extends QuantizedMatrix {
  /** s (K): the codes quantize s·W; divide the layer input by s (fold 1/s upstream). */
  readonly channelScales: Float32Array;
  /** The chosen α. */
  readonly alpha: number;
  /** Search score (output error on the search sample) for each α tried. */
  readonly searchErrors: readonly number[];
  /** diag(1/s)·Ŵ (K,N): the weight to use when 1/s is not folded (simulation). */
  readonly effectiveWeight: Float32Array;
  /** Errors of the effective weight against W; outputError on all calibration tokens. */
  readonly stats: ErrorStats;
}

/**
 * Runs the AWQ scale search and quantizes s·W.
 * // W (K,N), X (T,K) -> s (K,), codes of s·W (K,N)
 */
export function quantizeAwq(W: Float32Array, K: number, N: number, X: Float32Array, options: AwqOptions): AwqResult {
  const search = prepareAwqSearch(W, K, N, X, options);
  const searchErrors: number[] = [];
  for (let i = 0; i < search.gridPoints; i++) {
    const { effective } = candidateWeight(search, K, i / search.gridPoints);
    searchErrors.push(outputErrorRatio(search.Xs, search.Ts, K, search.Ws, effective, search.Ns));
  }
  const r = finishAwq(W, K, N, search, searchErrors);
  const stats: ErrorStats = { ...weightErrorStats(W, r.effectiveWeight), outputError: outputErrorRatio(X, search.T, K, W, r.effectiveWeight, N) };
  return { ...r, stats };
}

/** The resolved options and the search sample: X's sampled tokens, W's sampled columns. */
export interface AwqSearch {
  readonly bits: number;
  readonly kind: GridKind;
  readonly groupSize: number;
  readonly gridPoints: number;
  /** All calibration tokens. */
  readonly T: number;
  /** mean |x_k| over all tokens (K,). */
  readonly meanAbs: Float64Array;
  /** Search tokens (Ts,K) and columns (K,Ns). */
  readonly Xs: Float32Array;
  readonly Ts: number;
  readonly Ws: Float32Array;
  readonly Ns: number;
}

/** Checks the inputs, resolves the options and draws the search sample. */
export function prepareAwqSearch(W: Float32Array, K: number, N: number, X: Float32Array, options: AwqOptions): AwqSearch {
  checkShape('awq: W', W, K, N);
  checkBits(options.bits);
  const T = calibrationTokens('awq', X, K);
  const kind = gridKind(options.symmetric ?? false, options.symGrid);
  const groupSize = options.group === 'channel' ? K : options.group ?? (K % 128 === 0 ? 128 : K);
  checkGroupSize(groupSize);
  const gridPoints = options.gridPoints ?? 20;
  if (!Number.isInteger(gridPoints) || gridPoints < 1) throw new InputError(`awq: gridPoints must be a positive integer, got ${gridPoints}`);
  const { meanAbs } = columnAbsStats(X, T, K);
  const tokens = evenlySpaced(T, options.searchMaxTokens ?? 256);
  const columns = evenlySpaced(N, options.searchMaxColumns ?? 1024);
  return {
    bits: options.bits, kind, groupSize, gridPoints, T, meanAbs,
    Xs: pickRows(X, K, tokens), Ts: tokens.length, Ws: pickColumns(W, K, N, columns), Ns: columns.length,
  };
}

/**
 * One candidate α on the search sample: s and diag(1/s)·Q(s·Ws).
 * // Ws (K,Ns) -> (K,Ns)
 */
export function candidateWeight(search: AwqSearch, K: number, alpha: number): { s: Float32Array; effective: Float32Array } {
  const s = awqScales(search.meanAbs, alpha);
  const { effective } = effectiveWeight(scaleRows(search.Ws, K, search.Ns, s), K, search.Ns, s, search.bits, search.kind, search.groupSize);
  return { s, effective };
}

/**
 * Keeps the first α with the lowest search error (the reference's strict `<`) and quantizes
 * s·W with it (without error statistics, which the caller measures).
 */
export function finishAwq(W: Float32Array, K: number, N: number, search: AwqSearch, searchErrors: readonly number[]): Omit<AwqResult, 'stats'> {
  let best: { alpha: number; error: number; s: Float32Array } = { alpha: 0, error: Infinity, s: new Float32Array(K).fill(1) };
  searchErrors.forEach((error, i) => {
    if (error < best.error) best = { alpha: i / search.gridPoints, error, s: awqScales(search.meanAbs, i / search.gridPoints) };
  });
  const { q, effective } = effectiveWeight(scaleRows(W, K, N, best.s), K, N, best.s, search.bits, search.kind, search.groupSize);
  return { ...q, channelScales: best.s, alpha: best.alpha, searchErrors: [...searchErrors], effectiveWeight: effective };
}

/**
 * s = max(mean|x|^α, 1e−4) / sqrt(max(s)·min(s)) (the reference's normalisation).
 * // meanAbs (K,) -> s (K,)
 */
export function awqScales(meanAbs: Float64Array, alpha: number): Float32Array {
  const K = meanAbs.length;
  const s = new Float64Array(K);
  let max = 0;
  let min = Infinity;
  for (let k = 0; k < K; k++) {
    s[k] = Math.max(Math.pow(meanAbs[k], alpha), 1e-4);
    if (s[k] > max) max = s[k];
    if (s[k] < min) min = s[k];
  }
  const norm = Math.sqrt(max * min);
  return Float32Array.from(s, (v) => v / norm);
}

/**
 * diag(s)·W.
 * // W (K,N), s (K,) -> (K,N)
 */
export function scaleRows(W: Float32Array, K: number, N: number, s: Float32Array): Float32Array {
  const out = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) out[k * N + n] = W[k * N + n] * s[k];
  }
  return out;
}

/** Q(s·W) and diag(1/s)·Q(s·W). */
function effectiveWeight(
  sW: Float32Array, K: number, N: number, s: Float32Array, bits: number, kind: GridKind, groupSize: number,
): { q: QuantizedMatrix; effective: Float32Array } {
  const q = quantizeGroups(sW, K, N, bits, kind, groupSize);
  const effective = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) effective[k * N + n] = q.dequantized[k * N + n] / s[k];
  }
  return { q, effective };
}

/** Up to `max` indices evenly spread over [0, count). */
function evenlySpaced(count: number, max: number): Int32Array {
  const m = Math.max(1, Math.min(count, Math.floor(max)));
  return Int32Array.from({ length: m }, (_, i) => Math.floor((i * count) / m));
}

/** Rows `idx` of X (T,K). */
function pickRows(X: Float32Array, K: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * K);
  idx.forEach((t, i) => out.set(X.subarray(t * K, (t + 1) * K), i * K));
  return out;
}

/** Columns `idx` of W (K,N). */
function pickColumns(W: Float32Array, K: number, N: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(K * idx.length);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < idx.length; j++) out[k * idx.length + j] = W[k * N + idx[j]];
  }
  return out;
}
