/**
 * Semi-structured N:M pruning (e.g. 2:4, 4:8; the pattern sparse tensor cores run): in
 * every run of M consecutive inputs (along K) of each output column, keep exactly the N
 * weights with the largest |W| — or the largest Wanda scores |W|·‖X_k‖ when calibration
 * X is given. Ties keep the lower index, and a block whose weights are already zero still
 * gets exactly N kept positions in the mask.
 */
import { InputError } from '../core/errors.js';
import { wandaScores } from './wanda.js';
import { pruneResult, type PruneResult } from './prune-common.js';
import { calibrationTokens, checkShape } from './shapes.js';

/**
 * Prunes W to an N:M pattern along K.
 * // W (K,N), X (T,K) optional -> mask (K,N) with exactly n ones per M-block of each column
 */
export function pruneNm(W: Float32Array, K: number, N: number, n: number, m: number, X?: Float32Array): PruneResult {
  checkShape('nm: W', W, K, N);
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 2 || n >= m) {
    throw new InputError(`nm: pattern ${n}:${m} is invalid; need integers 1 ≤ N < M (e.g. 2:4)`);
  }
  if (K % m !== 0) throw new InputError(`nm: M = ${m} does not divide K = ${K}`);
  const score = X ? wandaScores(W, K, N, X) : Float32Array.from(W, Math.abs);
  const mask = new Uint8Array(K * N);
  const block = new Int32Array(m);
  for (let col = 0; col < N; col++) {
    for (let b = 0; b < K; b += m) {
      for (let j = 0; j < m; j++) block[j] = b + j;
      // Partial selection sort: the n best of m (m is small).
      for (let i = 0; i < n; i++) {
        let best = i;
        for (let j = i + 1; j < m; j++) {
          const sj = score[block[j] * N + col];
          const sb = score[block[best] * N + col];
          if (sj > sb || (sj === sb && block[j] < block[best])) best = j;
        }
        const tmp = block[i];
        block[i] = block[best];
        block[best] = tmp;
        mask[block[i] * N + col] = 1;
      }
    }
  }
  return pruneResult(W, K, N, mask, X ? { data: X, T: calibrationTokens('nm', X, K) } : undefined);
}
