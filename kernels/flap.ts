/**
 * FLAP (An, Zhao, Yu, Tang, Wang, AAAI 2024, "Fluctuation-based Adaptive Structured
 * Pruning for Large Language Models"), for the FFN channels of a gated MLP:
 * - fluctuation of channel j = the sample variance of the down projection's input feature j
 *   over the calibration tokens × ‖W_down[j, :]‖² (the paper's WIFV metric);
 * - scores standardized per layer ((s − mean)/std), then ranked across all layers at once, so
 *   the layers keep different numbers of channels (the paper's adaptive structure);
 * - bias compensation: the removed channels' mean contribution b = Σ_{j removed} x̄_j·W_down[j,:]
 *   is added to the down projection's output.
 * Heads are not pruned here: the runtime sizes every layer's KV cache from one
 * num_key_value_heads, which per-layer head counts would break.
 */
import { InputError } from '../core/errors.js';
import { removalStats, shrinkFfn, type FfnWeights } from './structured-shrink.js';
import { calibrationTokens } from './shapes.js';
import type { WeightErrorStats } from './types.js';

/** Per-channel calibration statistics of the down projection's input. */
export interface ChannelStats {
  /** Mean x̄_j over tokens (F,). */
  readonly mean: Float64Array;
  /** Fluctuation var_j·‖W_down[j,:]‖² (F,). */
  readonly fluctuation: Float64Array;
}

/**
 * FLAP's fluctuation metric with the sample variance (T − 1 in the denominator).
 * // X (T,F), W_down (F,N) -> (F,), (F,)
 */
export function channelFluctuation(X: Float32Array, F: number, down: Float32Array, N: number): ChannelStats {
  const T = calibrationTokens('flap', X, F);
  if (T < 2) throw new InputError(`flap: the fluctuation needs at least 2 calibration tokens, got ${T}; give more calibration text`);
  const mean = new Float64Array(F);
  for (let t = 0; t < T; t++) for (let j = 0; j < F; j++) mean[j] += X[t * F + j];
  for (let j = 0; j < F; j++) mean[j] /= T;
  const fluctuation = new Float64Array(F);
  for (let t = 0; t < T; t++) for (let j = 0; j < F; j++) fluctuation[j] += (X[t * F + j] - mean[j]) ** 2;
  for (let j = 0; j < F; j++) {
    let w2 = 0;
    for (let n = 0; n < N; n++) w2 += down[j * N + n] ** 2;
    fluctuation[j] = (fluctuation[j] / (T - 1)) * w2;
  }
  return { mean, fluctuation };
}

/** (s − mean(s)) / std(s) with the sample standard deviation; all zeros when s is constant. */
export function standardize(s: ArrayLike<number>): Float64Array {
  const n = s.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += s[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (s[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  return Float64Array.from({ length: n }, (_, i) => (sd > 0 ? (s[i] - mean) / sd : 0));
}

/**
 * The global adaptive structure: removes floor(ratio · Σ F_l) channels with the lowest
 * standardized scores over all layers (ties: later layer, then higher index, go first);
 * every layer keeps at least one channel. Returns the kept channels of each layer, ascending.
 */
export function allocateGlobally(standardized: readonly Float64Array[], ratio: number): Int32Array[] {
  if (!(ratio >= 0 && ratio < 1)) throw new InputError(`flap: ratio must be in [0, 1), got ${ratio}`);
  const all: { l: number; j: number; s: number }[] = [];
  standardized.forEach((s, l) => s.forEach((v, j) => all.push({ l, j, s: v })));
  all.sort((a, b) => a.s - b.s || b.l - a.l || b.j - a.j);
  const keep = standardized.map((s) => new Uint8Array(s.length).fill(1));
  const left = standardized.map((s) => s.length);
  let toRemove = Math.floor(ratio * all.length);
  for (const u of all) {
    if (toRemove === 0) break;
    if (left[u.l] === 1) continue;
    keep[u.l][u.j] = 0;
    left[u.l]--;
    toRemove--;
  }
  return keep.map((k) => Int32Array.from([...k.keys()].filter((j) => k[j] === 1)));
}

/**
 * b = Σ_{j ∉ kept} x̄_j · W_down[j, :], the removed channels' mean output.
 * // mean (F,), W_down (F,N) -> (N,)
 */
export function compensationBias(mean: ArrayLike<number>, down: Float32Array, N: number, kept: ArrayLike<number>): Float32Array {
  const isKept = new Uint8Array(mean.length);
  for (let i = 0; i < kept.length; i++) isKept[kept[i]] = 1;
  const b = new Float64Array(N);
  for (let j = 0; j < mean.length; j++) if (!isKept[j]) for (let n = 0; n < N; n++) b[n] += mean[j] * down[j * N + n];
  return Float32Array.from(b);
}

/** One layer's FLAP result. */
export interface FlapLayerResult {
  readonly shrunk: FfnWeights;
  /** Added to the down projection's output (hidden,). */
  readonly bias: Float32Array;
  readonly stats: { readonly gate: WeightErrorStats; readonly up: WeightErrorStats; readonly down: WeightErrorStats };
  /** Down projection output error with the bias, ‖XW − (X_kept W_kept + b)‖²/‖XW‖² on the calibration X. */
  readonly downOutputError: number;
}

/**
 * Shrinks one layer's FFN to `kept` and computes its compensation bias.
 * // X_down (T,F): the calibration input of W_down
 */
export function pruneFlapLayer(w: FfnWeights, X: Float32Array, stats: ChannelStats, kept: Int32Array): FlapLayerResult {
  const { hidden: N, intermediate: F } = w;
  const T = calibrationTokens('flap', X, F);
  const bias = compensationBias(stats.mean, w.down, N, kept);
  const isKept = new Uint8Array(F);
  for (const j of kept) isKept[j] = 1;
  // error = X_removed W_removed − b, per token
  let num = 0;
  let den = 0;
  const y = new Float64Array(N);
  const e = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    y.fill(0);
    for (let n = 0; n < N; n++) e[n] = -bias[n];
    for (let j = 0; j < F; j++) {
      const x = X[t * F + j];
      if (x === 0) continue;
      for (let n = 0; n < N; n++) {
        const p = x * w.down[j * N + n];
        y[n] += p;
        if (!isKept[j]) e[n] += p;
      }
    }
    for (let n = 0; n < N; n++) {
      num += e[n] ** 2;
      den += y[n] ** 2;
    }
  }
  return {
    shrunk: shrinkFfn(w, kept),
    bias,
    stats: {
      gate: removalStats(w.gate, w.hidden, F, 'columns', kept),
      up: removalStats(w.up, w.hidden, F, 'columns', kept),
      down: removalStats(w.down, F, N, 'rows', kept),
    },
    downOutputError: den === 0 ? (num === 0 ? 0 : Infinity) : num / den,
  };
}
