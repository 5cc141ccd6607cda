import { bootstrapInterval, bootstrapMeanInterval, mean, type BootstrapOptions } from './bootstrap.js';
import { exceedsCiWidth, type CiWidthRule } from './ci-width.js';
import { wilsonInterval } from './wilson.js';
import { clusterInfo, isClustered, type ClusterInfo } from './clusters.js';
import { wilsonIntervalEffective } from './wilson.js';

/** How an interval was computed. */
export type IntervalMethod = 'wilson' | 'bootstrap';

/** A point estimate over n instances with its 95% interval (plain JSON). */
export interface Summary {
  /** Number of instances (always stated). */
  readonly n: number;
  /** The estimate; null when n = 0. */
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly method: IntervalMethod;
  /** True when n < minN or the interval is wider than maxCiWidth: too few instances to trust. */
  readonly tooFew: boolean;
  /** Present when instances come in groups of near-duplicates: groups, design effect, effective n and how the interval used them. */
  readonly clustering?: ClusterInfo;
}

/** Settings of {@link summarizeScores} and {@link summarizeRatio}. */
export interface SummaryOptions extends BootstrapOptions {
  /** Flag the summary when high − low exceeds this (default 0.2, on a proportion's scale). */
  readonly maxCiWidth?: number;
  /** Compare the width with maxCiWidth·|value| instead of maxCiWidth (for unbounded metrics such as perplexity). */
  readonly relativeWidth?: boolean;
  /** Flag the summary below this many instances (default 2). */
  readonly minN?: number;
  /** 'proportion' forces Wilson, 'mean' forces the bootstrap; 'auto' (default) picks Wilson when every score is 0 or 1. */
  readonly kind?: 'auto' | 'proportion' | 'mean';
}

/** Default flag threshold on the width of a 95% interval. */
export const DEFAULT_MAX_CI_WIDTH = 0.2;

/** Default fewest instances a summary is trusted with. */
export const DEFAULT_MIN_N = 2;

/**
 * The one function that turns per-instance scores into a reported number: the mean,
 * n, a 95% interval (Wilson for 0/1 scores, seeded percentile bootstrap otherwise) and
 * a `tooFew` flag, so an under-sampled cell is flagged rather than silently gated.
 *
 * With groups of near-duplicates (`options.clusters`), a proportion gets Wilson on the
 * effective n = n/deff (a design-effect adjustment: it keeps Wilson's behaviour at 0 and
 * 1, where a bootstrap collapses to a point) and a mean gets the group bootstrap; both
 * record groups, design effect and effective n in `clustering`.
 */
export function summarizeScores(scores: ArrayLike<number>, options: SummaryOptions = {}): Summary {
  const n = scores.length;
  const kind = options.kind ?? 'auto';
  const proportion = kind === 'proportion' || (kind === 'auto' && isBinary(scores));
  const method: IntervalMethod = proportion ? 'wilson' : 'bootstrap';
  if (n === 0) return { n, value: null, low: null, high: null, method, tooFew: true };
  const value = mean(scores);
  const clusters = isClustered(options.clusters) ? options.clusters : undefined;
  if (proportion) {
    const successes = countAtLeastHalf(scores);
    const p = successes / n;
    const clustering = clusters && clusterInfo(Array.from(scores, (s) => (s >= 0.5 ? 1 : 0) - p), clusters, 'design-effect');
    const ci = clustering ? wilsonIntervalEffective(p, clustering.nEffective) : wilsonInterval(successes, n);
    return withClustering({ n, value, low: ci.low, high: ci.high, method, tooFew: isTooFew(n, ci.high - ci.low, value, options) }, clustering);
  }
  const ci = bootstrapMeanInterval(scores, options);
  const clustering = clusters && clusterInfo(Array.from(scores, (s) => s - value), clusters, 'group-bootstrap');
  return withClustering({ n, value, low: ci.low, high: ci.high, method, tooFew: isTooFew(n, ci.high - ci.low, value, options) }, clustering);
}

/**
 * A ratio of sums, transformed: value = transform(Σ numerators / Σ denominators), e.g.
 * perplexity = exp(Σ NLL / Σ tokens). Instances are resampled as units, so the
 * interval is a bootstrap interval of the same corpus-level statistic. `transform`
 * must be non-decreasing.
 */
export function summarizeRatio(
  numerators: ArrayLike<number>,
  denominators: ArrayLike<number>,
  transform: (ratio: number) => number = (r) => r,
  options: SummaryOptions = {},
): Summary {
  const n = numerators.length;
  if (denominators.length !== n) throw new RangeError(`summarizeRatio: ${n} numerators vs ${denominators.length} denominators`);
  if (n === 0) return { n, value: null, low: null, high: null, method: 'bootstrap', tooFew: true };
  const ratioAt = (idx: ArrayLike<number>): number => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < idx.length; i++) {
      num += numerators[idx[i]];
      den += denominators[idx[i]];
    }
    return transform(num / den);
  };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const ci = bootstrapInterval(n, ratioAt, options);
  const value = ratioAt(all);
  // transform' cancels in the ratio of variances, so the influence of the untransformed ratio gives the design effect.
  const clustering = isClustered(options.clusters) ? ratioClustering(numerators, denominators, options.clusters) : undefined;
  return withClustering({ n, value, low: ci.low, high: ci.high, method: 'bootstrap', tooFew: isTooFew(n, ci.high - ci.low, value, options) }, clustering);
}

function ratioClustering(numerators: ArrayLike<number>, denominators: ArrayLike<number>, clusters: NonNullable<SummaryOptions['clusters']>): ClusterInfo {
  let num = 0;
  let den = 0;
  for (let i = 0; i < numerators.length; i++) {
    num += numerators[i];
    den += denominators[i];
  }
  const r = num / den;
  return clusterInfo(Array.from(numerators, (x, i) => x - r * denominators[i]), clusters, 'group-bootstrap');
}

function withClustering(summary: Summary, clustering: ClusterInfo | undefined): Summary {
  return clustering ? { ...summary, clustering } : summary;
}

/** The rule of core/stats/ci-width.ts as these options set it. */
export function ciWidthRuleOf(options: SummaryOptions): CiWidthRule {
  return { width: options.relativeWidth ? 'relative' : 'absolute', maxCiWidth: options.maxCiWidth ?? DEFAULT_MAX_CI_WIDTH, minN: options.minN ?? DEFAULT_MIN_N };
}

function isTooFew(n: number, width: number, value: number, options: SummaryOptions): boolean {
  const rule = ciWidthRuleOf(options);
  return n < rule.minN || exceedsCiWidth(width, value, rule);
}

function isBinary(scores: ArrayLike<number>): boolean {
  for (let i = 0; i < scores.length; i++) if (scores[i] !== 0 && scores[i] !== 1) return false;
  return true;
}

function countAtLeastHalf(scores: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= 0.5) k++;
  return k;
}
