/**
 * FairPrune-style unstructured pruning (Wu, Zeng, Xu, Shi, Hu, MICCAI 2022, "FairPrune:
 * Achieving Fairness Through Pruning for Dermatological Disease Diagnosis"): each weight's
 * importance is measured separately for a protected (unprivileged, worst-off) group and for
 * the others with the second derivative of the loss (Optimal Brain Damage saliency
 * S = ½·θ²·H_θθ), and weights are pruned by the difference of the two, so that the weights the
 * protected group needs are kept:
 *   S_kn^g = ½ W_kn² · H_kk^g,   H^g = (2/T_g) X_gᵀ X_g  (the layer-wise reconstruction Hessian)
 *          = W_kn² · mean_t(x_tk²) over group g's calibration tokens,
 *   score  = S^protected − β·S^others,   lowest scores pruned, floor(sparsity·K) per output column.
 * The layer-wise Hessian replaces the paper's network-loss Hessian (no backward pass here); with
 * β = 0 the score orders each column as Wanda does on the protected group's activations.
 */
import { InputError } from '../core/errors.js';
import { outputErrorRatio } from './error-stats.js';
import { ascendingOrder, checkSparsity, pruneResult, type PruneResult } from './prune-common.js';
import { calibrationTokens, checkShape } from './shapes.js';

/**
 * mean_t(x_tk²) per input feature: the diagonal of the layer Hessian up to the factor 2.
 * // X (T,K) -> (K,)
 */
export function meanSquares(X: Float32Array, T: number, K: number): Float64Array {
  const out = new Float64Array(K);
  for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) out[k] += X[t * K + k] ** 2;
  for (let k = 0; k < K; k++) out[k] /= T;
  return out;
}

/**
 * OBD saliency of every weight on one group's activations.
 * // W (K,N), X (T,K) -> S (K,N)
 */
export function obdSaliency(W: Float32Array, K: number, N: number, X: Float32Array): Float64Array {
  const h = meanSquares(X, calibrationTokens('fairprune', X, K), K);
  const S = new Float64Array(K * N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) S[k * N + n] = W[k * N + n] ** 2 * h[k];
  return S;
}

/** FairPrune's result with the output error on each group's calibration inputs. */
export interface FairPruneResult extends PruneResult {
  readonly protectedOutputError: number;
  readonly othersOutputError: number;
}

/**
 * Prunes W by S^protected − β·S^others.
 * // W (K,N), Xp (Tp,K), Xo (To,K) -> mask (K,N)
 */
export function pruneFairPrune(
  W: Float32Array, K: number, N: number, Xp: Float32Array, Xo: Float32Array, options: { sparsity: number; beta: number },
): FairPruneResult {
  checkShape('fairprune: W', W, K, N);
  checkSparsity(options.sparsity);
  if (!(options.beta >= 0) || !Number.isFinite(options.beta)) throw new InputError(`fairprune: beta must be a non-negative number, got ${options.beta}`);
  const Sp = obdSaliency(W, K, N, Xp);
  const So = obdSaliency(W, K, N, Xo);
  const perColumn = Math.floor(options.sparsity * K);
  const mask = new Uint8Array(K * N).fill(1);
  const score = new Float64Array(K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) score[k] = Sp[k * N + n] - options.beta * So[k * N + n];
    const order = ascendingOrder(score, K);
    for (let i = 0; i < perColumn; i++) mask[order[i] * N + n] = 0;
  }
  const r = pruneResult(W, K, N, mask, { data: Xp, T: Xp.length / K });
  return { ...r, protectedOutputError: r.stats.outputError!, othersOutputError: outputErrorRatio(Xo, Xo.length / K, K, W, r.pruned, N) };
}
