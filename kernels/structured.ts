/**
 * Structured pruning: drop whole attention heads (GQA-aware: the unit is a KV head with
 * its query group, so the head ratio stays uniform) or whole FFN channels, ranked by
 * activation-weighted weight norms, then shrink the matrices (structured-shrink.ts).
 *
 * Importance (an energy estimate that treats input features as uncorrelated, the same
 * assumption as Wanda's ‖X_k‖·|W| score):
 * - FFN channel f: with the down-projection input norms h (from calibration),
 *   h_f²·‖down[f,:]‖² — the energy channel f writes to the residual stream; without them,
 *   ‖x∘gate[:,f]‖·‖x∘up[:,f]‖·‖down[f,:]‖ with x the FFN input norms (1 when absent).
 * - KV group g: with the o_proj input norms a, Σ_{j∈g} a_j²·‖o[j,:]‖²; without them,
 *   (Σ_k x_k²·‖v[k, g]‖²)·(Σ_{j∈g} ‖o[j,:]‖²) — value-path energy times output gain.
 */
import { InputError } from '../core/errors.js';
import {
  headFeatures, queryHeadsOf, removalStats, shrinkAttention, shrinkFfn,
  type AttentionWeights, type FfnWeights,
} from './structured-shrink.js';
import type { WeightErrorStats } from './types.js';

/** Calibration norms for head importance. */
export interface AttentionNorms {
  /** ‖X_k‖₂ of the attention input (hidden,). */
  readonly input?: Float64Array;
  /** ‖A_j‖₂ of the o_proj input (numHeads·headDim,). */
  readonly oInput?: Float64Array;
}

/** Calibration norms for FFN channel importance. */
export interface FfnNorms {
  /** ‖X_k‖₂ of the FFN input (hidden,). */
  readonly input?: Float64Array;
  /** ‖H_f‖₂ of the down_proj input (intermediate,). */
  readonly intermediate?: Float64Array;
}

/** Result of pruning heads. */
export interface HeadPruneResult {
  /** Importance per KV group (numKvHeads,). */
  readonly scores: Float64Array;
  /** Kept KV heads, ascending. */
  readonly keptKvHeads: Int32Array;
  /** Kept query heads, ascending. */
  readonly keptHeads: Int32Array;
  readonly shrunk: AttentionWeights;
  /** Error of each matrix as if the removed parts were zeroed. */
  readonly stats: { readonly q: WeightErrorStats; readonly k: WeightErrorStats; readonly v: WeightErrorStats; readonly o: WeightErrorStats };
  /** Share of the total importance removed. */
  readonly removedScoreFraction: number;
}

/** Result of pruning FFN channels. */
export interface FfnPruneResult {
  readonly scores: Float64Array;
  /** Kept channels, ascending. */
  readonly kept: Int32Array;
  readonly shrunk: FfnWeights;
  readonly stats: { readonly gate: WeightErrorStats; readonly up: WeightErrorStats; readonly down: WeightErrorStats };
  readonly removedScoreFraction: number;
}

/** Importance of each KV group (see the module comment). */
export function attentionGroupImportance(w: AttentionWeights, norms: AttentionNorms = {}): Float64Array {
  const { hidden, numHeads, numKvHeads, headDim } = w;
  if (!Number.isInteger(numHeads / numKvHeads)) throw new InputError(`structured: numHeads ${numHeads} is not a multiple of numKvHeads ${numKvHeads}`);
  const kvWidth = numKvHeads * headDim;
  const scores = new Float64Array(numKvHeads);
  for (let g = 0; g < numKvHeads; g++) {
    const rows = headFeatures(queryHeadsOf([g], numHeads, numKvHeads), headDim);
    let out = 0;
    for (const j of rows) {
      const a = norms.oInput ? norms.oInput[j] : 1;
      out += a * a * rowEnergy(w.o, hidden, j);
    }
    if (norms.oInput) {
      scores[g] = out;
      continue;
    }
    let value = 0;
    for (let k = 0; k < hidden; k++) {
      const x = norms.input ? norms.input[k] : 1;
      for (let c = g * headDim; c < (g + 1) * headDim; c++) value += x * x * w.v[k * kvWidth + c] ** 2;
    }
    scores[g] = value * out;
  }
  return scores;
}

/** Importance of each FFN channel (see the module comment). */
export function ffnChannelImportance(w: FfnWeights, norms: FfnNorms = {}): Float64Array {
  const { hidden, intermediate: F } = w;
  const scores = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    const down = rowEnergy(w.down, hidden, f);
    if (norms.intermediate) {
      scores[f] = norms.intermediate[f] ** 2 * down;
      continue;
    }
    let g2 = 0;
    let u2 = 0;
    for (let k = 0; k < hidden; k++) {
      const x2 = norms.input ? norms.input[k] ** 2 : 1;
      g2 += x2 * w.gate[k * F + f] ** 2;
      u2 += x2 * w.up[k * F + f] ** 2;
    }
    scores[f] = Math.sqrt(g2 * u2 * down);
  }
  return scores;
}

/**
 * The units to keep when removing floor(ratio·count) of the least important (ties: the
 * higher index goes first), ascending. At least one unit is always kept.
 */
export function keepMostImportant(scores: ArrayLike<number>, ratio: number): Int32Array {
  if (!(ratio >= 0 && ratio < 1)) throw new InputError(`structured: ratio must be in [0, 1), got ${ratio}`);
  const n = scores.length;
  const remove = Math.floor(ratio * n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  return Int32Array.from(order.slice(0, n - remove).sort((a, b) => a - b));
}

/** Ranks KV groups, keeps 1 − ratio of them and shrinks q/k/v/o. */
export function pruneAttentionHeads(w: AttentionWeights, ratio: number, norms: AttentionNorms = {}): HeadPruneResult {
  const scores = attentionGroupImportance(w, norms);
  const keptKvHeads = keepMostImportant(scores, ratio);
  const keptHeads = queryHeadsOf(keptKvHeads, w.numHeads, w.numKvHeads);
  const qCols = headFeatures(keptHeads, w.headDim);
  const kvCols = headFeatures(keptKvHeads, w.headDim);
  const qWidth = w.numHeads * w.headDim;
  const kvWidth = w.numKvHeads * w.headDim;
  return {
    scores, keptKvHeads, keptHeads, shrunk: shrinkAttention(w, keptKvHeads),
    stats: {
      q: removalStats(w.q, w.hidden, qWidth, 'columns', qCols),
      k: removalStats(w.k, w.hidden, kvWidth, 'columns', kvCols),
      v: removalStats(w.v, w.hidden, kvWidth, 'columns', kvCols),
      o: removalStats(w.o, qWidth, w.hidden, 'rows', qCols),
    },
    removedScoreFraction: removedFraction(scores, keptKvHeads),
  };
}

/** Ranks FFN channels, keeps 1 − ratio of them and shrinks gate/up/down. */
export function pruneFfnChannels(w: FfnWeights, ratio: number, norms: FfnNorms = {}): FfnPruneResult {
  const scores = ffnChannelImportance(w, norms);
  const kept = keepMostImportant(scores, ratio);
  return {
    scores, kept, shrunk: shrinkFfn(w, kept),
    stats: {
      gate: removalStats(w.gate, w.hidden, w.intermediate, 'columns', kept),
      up: removalStats(w.up, w.hidden, w.intermediate, 'columns', kept),
      down: removalStats(w.down, w.intermediate, w.hidden, 'rows', kept),
    },
    removedScoreFraction: removedFraction(scores, kept),
  };
}

/** ‖W[row, :]‖² for W (·, N). */
function rowEnergy(W: Float32Array, N: number, row: number): number {
  let s = 0;
  for (let n = 0; n < N; n++) s += W[row * N + n] ** 2;
  return s;
}

function removedFraction(scores: Float64Array, kept: Int32Array): number {
  let total = 0;
  let keptSum = 0;
  for (const s of scores) total += s;
  for (const i of kept) keptSum += scores[i];
  return total === 0 ? 0 : (total - keptSum) / total;
}
