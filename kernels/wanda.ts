/**
 * Wanda (Sun et al. 2023, "A Simple and Effective Pruning Approach for Large Language
 * Models"): score S_kn = |W_kn|·‖X_k‖₂ and, per output, remove the floor(sparsity·K)
 * lowest-scoring weights among the K weights feeding it — per output column of our (K,N)
 * layout, which is the reference's per-row comparison group on torch's (out, in) weight.
 */
import { columnNorms } from './matmul.js';
import { ascendingOrder, checkSparsity, pruneResult, type PruneResult } from './prune-common.js';
import { calibrationTokens, checkShape } from './shapes.js';

/**
 * Prunes W with Wanda scores.
 * // W (K,N), X (T,K) -> mask (K,N)
 */
export function pruneWanda(W: Float32Array, K: number, N: number, X: Float32Array, sparsity: number): PruneResult {
  checkShape('wanda: W', W, K, N);
  checkSparsity(sparsity);
  const T = calibrationTokens('wanda', X, K);
  const norms = columnNorms(X, T, K);
  const perColumn = Math.floor(sparsity * K);
  const mask = new Uint8Array(K * N).fill(1);
  const score = new Float64Array(K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) score[k] = Math.abs(W[k * N + n]) * norms[k];
    const order = ascendingOrder(score, K);
    for (let i = 0; i < perColumn; i++) mask[order[i] * N + n] = 0;
  }
  return pruneResult(W, K, N, mask, { data: X, T });
}

/**
 * The Wanda score matrix |W_kn|·‖X_k‖₂.
 * // W (K,N), X (T,K) -> S (K,N)
 */
export function wandaScores(W: Float32Array, K: number, N: number, X: Float32Array): Float32Array {
  const norms = columnNorms(X, calibrationTokens('wanda', X, K), K);
  const S = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) S[k * N + n] = Math.abs(W[k * N + n]) * norms[k];
  }
  return S;
}
