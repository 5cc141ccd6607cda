/**
 * Shrinking dense matrices to the kept heads / FFN channels (structured pruning really
 * makes the matrices smaller, so a pruned variant runs as ordinary dense MatMuls).
 */
import { weightErrorStats } from './error-stats.js';
import type { WeightErrorStats } from './types.js';

/** Attention projections of one layer, each (in, out) row-major. */
export interface AttentionWeights {
  /** (hidden, numHeads·headDim) */
  readonly q: Float32Array;
  /** (hidden, numKvHeads·headDim) */
  readonly k: Float32Array;
  /** (hidden, numKvHeads·headDim) */
  readonly v: Float32Array;
  /** (numHeads·headDim, hidden) */
  readonly o: Float32Array;
  readonly hidden: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
}

/** Gated FFN of one layer (LLaMA style), each (in, out) row-major. */
export interface FfnWeights {
  /** (hidden, intermediate) */
  readonly gate: Float32Array;
  /** (hidden, intermediate) */
  readonly up: Float32Array;
  /** (intermediate, hidden) */
  readonly down: Float32Array;
  readonly hidden: number;
  readonly intermediate: number;
}

/**
 * Columns `cols` of W.
 * // W (K,N) -> (K, cols.length)
 */
export function keepColumns(W: Float32Array, K: number, N: number, cols: ArrayLike<number>): Float32Array {
  const M = cols.length;
  const out = new Float32Array(K * M);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < M; j++) out[k * M + j] = W[k * N + cols[j]];
  }
  return out;
}

/**
 * Rows `rows` of W.
 * // W (K,N) -> (rows.length, N)
 */
export function keepRows(W: Float32Array, N: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * N);
  for (let i = 0; i < rows.length; i++) out.set(W.subarray(rows[i] * N, (rows[i] + 1) * N), i * N);
  return out;
}

/** Query heads served by the kept KV heads (GQA: KV head g serves heads g·r … g·r + r − 1). */
export function queryHeadsOf(keptKvHeads: ArrayLike<number>, numHeads: number, numKvHeads: number): Int32Array {
  const r = numHeads / numKvHeads;
  const out: number[] = [];
  for (let i = 0; i < keptKvHeads.length; i++) for (let j = 0; j < r; j++) out.push(keptKvHeads[i] * r + j);
  return Int32Array.from(out);
}

/** Feature indices of heads: head h covers h·d … h·d + d − 1. */
export function headFeatures(heads: ArrayLike<number>, headDim: number): Int32Array {
  const out = new Int32Array(heads.length * headDim);
  for (let i = 0; i < heads.length; i++) for (let j = 0; j < headDim; j++) out[i * headDim + j] = heads[i] * headDim + j;
  return out;
}

/**
 * Keeps the given KV heads and their query groups: columns of q/k/v, rows of o.
 * // q (h, H·d), k/v (h, Hkv·d), o (H·d, h) -> the same with kept heads only
 */
export function shrinkAttention(w: AttentionWeights, keptKvHeads: ArrayLike<number>): AttentionWeights {
  const qHeads = queryHeadsOf(keptKvHeads, w.numHeads, w.numKvHeads);
  const qCols = headFeatures(qHeads, w.headDim);
  const kvCols = headFeatures(keptKvHeads, w.headDim);
  const qWidth = w.numHeads * w.headDim;
  const kvWidth = w.numKvHeads * w.headDim;
  return {
    q: keepColumns(w.q, w.hidden, qWidth, qCols),
    k: keepColumns(w.k, w.hidden, kvWidth, kvCols),
    v: keepColumns(w.v, w.hidden, kvWidth, kvCols),
    o: keepRows(w.o, w.hidden, qCols),
    hidden: w.hidden,
    numHeads: qHeads.length,
    numKvHeads: keptKvHeads.length,
    headDim: w.headDim,
  };
}

/**
 * Keeps the given FFN channels: columns of gate/up, rows of down.
 * // gate/up (h, F), down (F, h) -> (h, F'), (F', h)
 */
export function shrinkFfn(w: FfnWeights, kept: ArrayLike<number>): FfnWeights {
  return {
    gate: keepColumns(w.gate, w.hidden, w.intermediate, kept),
    up: keepColumns(w.up, w.hidden, w.intermediate, kept),
    down: keepRows(w.down, w.hidden, kept),
    hidden: w.hidden,
    intermediate: kept.length,
  };
}

/**
 * Error of removing everything but `keep` along one axis, measured as if the removed
 * columns (axis 'columns') or rows (axis 'rows') were zeroed in place.
 * // W (K,N)
 */
export function removalStats(W: Float32Array, K: number, N: number, axis: 'columns' | 'rows', keep: ArrayLike<number>): WeightErrorStats {
  const kept = new Uint8Array(axis === 'columns' ? N : K);
  for (let i = 0; i < keep.length; i++) kept[keep[i]] = 1;
  const zeroed = new Float32Array(W.length);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) if (kept[axis === 'columns' ? n : k]) zeroed[k * N + n] = W[k * N + n];
  }
  return weightErrorStats(W, zeroed);
}
