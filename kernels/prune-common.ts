/**
 * Pieces shared by the pruning kernels: argument checks, applying a mask, and the
 * result with its error statistics.
 */
import { InputError } from '../core/errors.js';
import { outputErrorRatio, weightErrorStats } from './error-stats.js';
import type { ErrorStats, PrunedMatrix } from './types.js';

/** A pruning result with its errors. */
export interface PruneResult extends PrunedMatrix {
  readonly stats: ErrorStats;
}

/** Throws unless 0 ≤ sparsity < 1. */
export function checkSparsity(sparsity: number): void {
  if (!(sparsity >= 0 && sparsity < 1)) {
    throw new InputError(`sparsity must be in [0, 1), got ${sparsity}`);
  }
}

/**
 * Applies a mask and measures the result (outputError when X is given).
 * // W (K,N), mask (K,N), X (T,K) optional
 */
export function pruneResult(W: Float32Array, K: number, N: number, mask: Uint8Array, X?: { data: Float32Array; T: number }): PruneResult {
  const pruned = new Float32Array(K * N);
  let removed = 0;
  for (let i = 0; i < W.length; i++) {
    if (mask[i]) pruned[i] = W[i];
    else removed++;
  }
  const weight = weightErrorStats(W, pruned);
  const stats: ErrorStats = X ? { ...weight, outputError: outputErrorRatio(X.data, X.T, K, W, pruned, N) } : weight;
  return { K, N, mask, pruned, sparsity: removed / W.length, stats };
}

/**
 * Indices 0..n−1 ordered by ascending score, ties by index (deterministic).
 */
export function ascendingOrder(score: ArrayLike<number>, n: number): Int32Array {
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => score[a] - score[b] || a - b);
  return Int32Array.from(idx);
}
