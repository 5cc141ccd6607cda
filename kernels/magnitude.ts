/**
 * Unstructured magnitude pruning: zero the `sparsity` fraction of weights with the
 * smallest |W| over the whole tensor (floor(sparsity·K·N) weights; ties go to the lower
 * flat index first, so the count is exact).
 */
import { checkShape } from './shapes.js';
import { checkSparsity, pruneResult, type PruneResult } from './prune-common.js';

/**
 * Prunes W by magnitude, per tensor.
 * // W (K,N) -> mask (K,N), pruned W (K,N)
 */
export function pruneMagnitude(W: Float32Array, K: number, N: number, sparsity: number): PruneResult {
  checkShape('magnitude: W', W, K, N);
  checkSparsity(sparsity);
  const count = Math.floor(sparsity * W.length);
  const mask = new Uint8Array(W.length).fill(1);
  if (count > 0) {
    const sorted = Float32Array.from(W, Math.abs).sort();
    const threshold = sorted[count - 1];
    let below = 0;
    for (let i = 0; i < W.length; i++) {
      if (Math.abs(W[i]) < threshold) {
        mask[i] = 0;
        below++;
      }
    }
    // Weights equal to the threshold fill the remainder in index order.
    for (let i = 0; i < W.length && below < count; i++) {
      if (mask[i] && Math.abs(W[i]) === threshold) {
        mask[i] = 0;
        below++;
      }
    }
  }
  return pruneResult(W, K, N, mask);
}
