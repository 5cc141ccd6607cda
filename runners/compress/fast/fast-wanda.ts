/**
 * Wanda (kernels/wanda.ts, the readable reference) without its two slow parts: the
 * per-column comparator sort (here a selection finds the threshold score, radix-select.ts,
 * then ties at the threshold go in index order, which is exactly the reference's stable
 * order) and the output error (on the GEMM engine). Same mask as the reference.
 */
import { ascendingOrder, checkSparsity, columnNorms, pruneResult, pruneWanda, type PruneResult } from '../../../kernels/index.js';
import { outputErrorRatioFast } from './calibration-products.js';
import type { GemmEngine } from './gemm-engine.js';
import { phaseClock, type PhaseTimes } from './phase-clock.js';
import { kthSmallestNonNegative, radixScratch } from './radix-select.js';

export { kthSmallest } from './radix-select.js';

/**
 * Prunes W with Wanda scores, on the engine.
 * // W (K,N), X (T,K) -> mask (K,N)
 */
export async function pruneWandaFast(engine: GemmEngine, W: Float32Array, K: number, N: number, X: Float32Array, sparsity: number, phases?: PhaseTimes): Promise<PruneResult> {
  const clock = phaseClock(phases);
  checkSparsity(sparsity);
  // Malformed shapes: the reference's checks throw the one-line errors.
  if (!Number.isInteger(K) || !Number.isInteger(N) || K <= 0 || N <= 0 || W.length !== K * N || X.length === 0 || X.length % K !== 0) {
    return pruneWanda(W, K, N, X, sparsity);
  }
  const T = X.length / K;
  const norms = columnNorms(X, T, K);
  clock('input norms');
  const perColumn = Math.floor(sparsity * K);
  const mask = new Uint8Array(K * N).fill(1);
  const score = new Float64Array(K);
  const scratch = radixScratch(K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) score[k] = Math.abs(W[k * N + n]) * norms[k];
    for (const k of lowestInIndexOrder(score, perColumn, scratch)) mask[k * N + n] = 0;
  }
  clock('scores + selection');
  const r = pruneResult(W, K, N, mask);
  clock('pruned + weight stats');
  const outputError = await outputErrorRatioFast(engine, X, T, K, W, r.pruned, N);
  clock('output error');
  return { ...r, stats: { ...r.stats, outputError } };
}

/**
 * The first `count` indices of the ascending order of `score` with ties by index
 * (prune-common.ts `ascendingOrder`), as a set, in O(K) expected work.
 */
export function lowestInIndexOrder(score: Float64Array, count: number, scratch = radixScratch(score.length)): Int32Array {
  if (count <= 0) return new Int32Array(0);
  const K = score.length;
  for (let k = 0; k < K; k++) if (Number.isNaN(score[k])) return ascendingOrder(score, K).slice(0, count);
  const threshold = kthSmallestNonNegative(score, count - 1, scratch);
  const out = new Int32Array(count);
  let m = 0;
  for (let k = 0; k < K; k++) if (score[k] < threshold) out[m++] = k;
  for (let k = 0; k < K && m < count; k++) if (score[k] === threshold) out[m++] = k;
  return out;
}
