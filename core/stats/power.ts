/**
 * Statistical power of a paired comparison (issue 24): the minimum detectable effect
 * (MDE) a suite of m paired items has at significance α (two-sided) and power 1 − β, so
 * a gate can tell a passing rule that proves something from one that could not fail.
 *
 * - 0/1 metrics (paired proportions; McNemar's setting): MDE = k·√(ρ_d / m), with
 *   k = z₁₋α/₂ + z₁₋β (1.959964 + 0.841621 = 2.801585 at α = 0.05, power 0.8), ρ_d the
 *   observed share of items on which the two models disagree, m the number of items. A
 *   loss of δ needs at least δ·m disagreeing items (ρ_d ≥ δ), so the MDE is never below
 *   k²/m: with few disagreements the plug-in ρ_d would claim a power it does not have.
 * - Other metrics (word NLL, perplexity, …): MDE = k·SE, SE the bootstrap standard
 *   error of the paired Δ (the SD of the paired-bootstrap replicates).
 * With groups of near-duplicates, m is the effective n of the differences (n ÷ design
 * effect), and the group bootstrap's SE already carries the grouping.
 */
import type { PairedDelta } from './paired.js';
import { normalQuantile } from './normal.js';

/** Two-sided significance level of every MDE compbench records. */
export const POWER_ALPHA = 0.05;

/** Power (1 − β) of every MDE compbench records. */
export const POWER_TARGET = 0.8;

/** Significance level and power of an MDE (defaults {@link POWER_ALPHA}, {@link POWER_TARGET}). */
export interface PowerSettings {
  readonly alpha?: number;
  readonly power?: number;
}

/** How an MDE was computed: from the disagreement rate (0/1 metrics) or the bootstrap SE of Δ. */
export type MdeMethod = 'disagreement' | 'bootstrap-se';

/** The minimum detectable effect of one paired comparison and what it rests on (run.json `vsBaseline.metrics[m].power`). */
export interface PowerEstimate {
  readonly alpha: number;
  readonly power: number;
  /** Paired items the MDE is computed for: n, or the effective n of the differences when instances come in groups. */
  readonly m: number;
  /** Share of paired items whose scores differ between the two models (0/1 metrics: the flip rate (b + c)/n). */
  readonly disagreementRate: number;
  /** The smallest |Δ| the comparison detects with the stated power, in the metric's units (shares as fractions). */
  readonly mde: number;
  readonly method: MdeMethod;
}

/** k = z₁₋α/₂ + z₁₋β, the multiplier of every MDE (2.801585 at α = 0.05, power 0.8). */
export function mdeMultiplier(settings: PowerSettings = {}): number {
  const alpha = settings.alpha ?? POWER_ALPHA;
  const power = settings.power ?? POWER_TARGET;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`mdeMultiplier: alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`mdeMultiplier: power must be in (0, 1), got ${power}`);
  return normalQuantile(1 - alpha / 2) + normalQuantile(power);
}

/** MDE of a paired proportion: max(k·√(ρ_d/m), k²/m) (see the module comment for the floor). */
export function proportionMde(disagreementRate: number, m: number, settings: PowerSettings = {}): number {
  if (!(m > 0)) throw new RangeError(`proportionMde: m must be positive, got ${m}`);
  if (!(disagreementRate >= 0 && disagreementRate <= 1)) throw new RangeError(`proportionMde: disagreementRate must be in [0, 1], got ${disagreementRate}`);
  const k = mdeMultiplier(settings);
  return Math.max(k * Math.sqrt(disagreementRate / m), (k * k) / m);
}

/** MDE of a continuous paired Δ: k·SE, SE the bootstrap standard error of Δ. */
export function bootstrapMde(se: number, settings: PowerSettings = {}): number {
  if (!(se >= 0)) throw new RangeError(`bootstrapMde: se must be ≥ 0, got ${se}`);
  return mdeMultiplier(settings) * se;
}

/**
 * The smallest flip rate θ that m items tell apart from no flips at all: θ solves
 * θ = k·√(θ(1 − θ)/m), so θ = k²/(m + k²) (one-sample normal approximation).
 * A flip-rate ceiling below it passes whether or not the model flips that often.
 */
export function flipRateMde(m: number, settings: PowerSettings = {}): number {
  if (!(m > 0)) throw new RangeError(`flipRateMde: m must be positive, got ${m}`);
  const k2 = mdeMultiplier(settings) ** 2;
  return k2 / (m + k2);
}

/**
 * Items that would let an interval decide: a 95% half-width h measured on n items shrinks
 * as 1/√m, so the half-width on m items is h·√(n/m), and it fits inside the distance d
 * from the estimate to the margin when m ≥ n·(h/d)². Returns that m, rounded up
 * (Infinity when the estimate sits on the margin, d ≤ 0).
 */
export function itemsToDecide(n: number, halfWidth: number, distance: number): number {
  if (!(n > 0) || !(halfWidth >= 0)) throw new RangeError(`itemsToDecide: need n > 0 and halfWidth ≥ 0, got n=${n}, halfWidth=${halfWidth}`);
  if (!(distance > 0)) return Infinity;
  return Math.ceil(n * (halfWidth / distance) ** 2 - 1e-9);
}

/** Share of paired items whose scores differ (0/1 metrics: right/wrong at 0.5, as flips count them). */
export function disagreementRate(baseline: ArrayLike<number>, variant: ArrayLike<number>, binary: boolean): number {
  const n = baseline.length;
  if (n === 0 || variant.length !== n) throw new RangeError(`disagreementRate: need equal non-empty arrays, got ${n} and ${variant.length}`);
  let differ = 0;
  for (let i = 0; i < n; i++) {
    const differs = binary ? baseline[i] >= 0.5 !== variant[i] >= 0.5 : baseline[i] !== variant[i];
    if (differs) differ++;
  }
  return differ / n;
}

/**
 * The power of a paired comparison: 0/1 metrics by {@link proportionMde} on the effective
 * number of items, others by {@link bootstrapMde} on the Δ's bootstrap SE. `baseline` and
 * `variant` are the per-item scores the Δ was computed from.
 */
export function pairedPower(
  baseline: ArrayLike<number>,
  variant: ArrayLike<number>,
  delta: PairedDelta,
  binary: boolean,
  settings: PowerSettings = {},
): PowerEstimate {
  const alpha = settings.alpha ?? POWER_ALPHA;
  const power = settings.power ?? POWER_TARGET;
  const m = delta.clustering?.nEffective ?? delta.n;
  const rho = disagreementRate(baseline, variant, binary);
  if (binary) return { alpha, power, m, disagreementRate: rho, mde: proportionMde(rho, m, settings), method: 'disagreement' };
  if (delta.se === undefined) throw new RangeError('pairedPower: the Δ has no bootstrap SE (compute it with pairedDelta)');
  return { alpha, power, m, disagreementRate: rho, mde: bootstrapMde(delta.se, settings), method: 'bootstrap-se' };
}
