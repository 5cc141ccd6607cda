/**
 * Semi-structured N:M pruning (e.g. 2:4, 4:8; the pattern sparse tensor cores run): in
 * every run of M consecutive inputs (along K) of each output column, keep exactly the N
 * weights with the largest score. The score is |W| (magnitude) or, when calibration X is
 * given, Wanda's |W|·‖X_k‖₂. Ties keep the lower index, and a block whose weights are
 * already zero still gets exactly N kept positions in the mask.
 *
 * When M does not divide K, the tail of r = K mod M inputs is treated as an M-block
 * zero-padded at the end (how sparse kernels take a K that is not a multiple of M): it
 * keeps its min(N, r) best weights, so the pattern stays valid after padding K up to a
 * multiple of M, and the tail is a little denser than N/M (dense when r ≤ N).
 */
import { InputError } from '../core/errors.js';
import { wandaScores } from './wanda.js';
import { pruneResult, type PruneResult } from './prune-common.js';
import { calibrationTokens, checkShape } from './shapes.js';

/**
 * Prunes W to an N:M pattern along K (magnitude scores, or Wanda scores when X is given).
 * // W (K,N), X (T,K) optional -> mask (K,N) with n ones per M-block of each column (min(n, r) in a tail of r)
 */
export function pruneNm(W: Float32Array, K: number, N: number, n: number, m: number, X?: Float32Array): PruneResult {
  checkShape('nm: W', W, K, N);
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 2 || n >= m) {
    throw new InputError(`nm: pattern ${n}:${m} is invalid; need integers 1 ≤ N < M (e.g. 2:4)`);
  }
  const score = X ? wandaScores(W, K, N, X) : Float32Array.from(W, Math.abs);
  const mask = new Uint8Array(K * N);
  const block = new Int32Array(m);
  for (let col = 0; col < N; col++) {
    for (let b = 0; b < K; b += m) {
      const len = Math.min(m, K - b);
      for (let j = 0; j < len; j++) block[j] = b + j;
      // Partial selection sort: the best min(n, len) of len (m is small).
      for (let i = 0; i < Math.min(n, len); i++) {
        let best = i;
        for (let j = i + 1; j < len; j++) {
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
