import {
  bootstrapEstimate,
  clusterInfo,
  clustersOf,
  flipStats,
  isClustered,
  meanChoiceKL,
  pairedDelta,
  pairedPower,
  type Clusters,
  type FlipStats,
  type PairedDelta,
  type PowerEstimate,
} from '../core/stats/index.js';
import { ratioParts } from './aggregate.js';
import { METRICS, type MetricId } from './metrics/registry.js';
import type { ChoiceOutcome } from './metrics/types.js';
import type { InstanceRecord, ScoredRecord } from './score.js';

/** Settings of the paired bootstrap. */
export interface CompareOptions {
  readonly seed?: number;
  readonly resamples?: number;
}

/** One metric, variant vs baseline on the same instances. */
export interface MetricComparison {
  readonly metric: MetricId;
  /** Δ = variant − baseline with its paired 95% interval (for ratio metrics: Δ of the corpus-level ratio); over groups when the suite has them. */
  readonly delta: PairedDelta;
  /** Right→wrong / wrong→right flips, McNemar's exact p and, with groups, the exact sign-flip test over groups (0/1 metrics only). */
  readonly flips: FlipStats | null;
  /** Observed disagreement rate and minimum detectable effect at α = 0.05, power 0.8 (core/stats/power.ts); absent without paired items. */
  readonly power?: PowerEstimate;
}

/** A variant's per-instance records against its baseline's, paired by instance id and content hash. */
export interface SuiteComparison {
  readonly suiteId: string;
  /** Instances scored in both runs with the same content. */
  readonly paired: number;
  /** Instances in one run only, errored in either, or whose data changed between runs. */
  readonly unpaired: number;
  readonly metrics: Readonly<Partial<Record<MetricId, MetricComparison>>>;
  /** Mean KL(baseline ‖ variant) in nats between the choice distributions (multiple choice only). */
  readonly choiceKL: { readonly value: number; readonly n: number } | null;
}

/**
 * Paired statistics of a variant against its baseline (DESIGN.md §6): Δ with a paired
 * bootstrap interval per metric, flips and McNemar for 0/1 metrics, and the choice-KL
 * for multiple choice. Only instances scored in both runs with identical content pair.
 * Instances sharing a group id are near-duplicates: the bootstrap draws whole groups,
 * the flips add a test over groups, and each Δ records its effective n.
 */
export function compareRecords(
  baseline: readonly InstanceRecord[],
  variant: readonly InstanceRecord[],
  metrics: readonly MetricId[],
  options: CompareOptions = {},
): SuiteComparison {
  const byId = new Map<string, ScoredRecord>();
  for (const r of baseline) if (r.state === 'scored') byId.set(r.instanceId, r);
  const pairs: [ScoredRecord, ScoredRecord][] = [];
  for (const v of variant) {
    const b = byId.get(v.instanceId);
    if (v.state === 'scored' && b && b.instanceHash === v.instanceHash) pairs.push([b, v]);
  }
  const everyId = new Set([...baseline, ...variant].map((r) => r.instanceId));
  const out: Partial<Record<MetricId, MetricComparison>> = {};
  if (pairs.length > 0) {
    const clusters = clustersOf(pairs.map(([, v]) => v.groupId));
    for (const metric of metrics) {
      const def = METRICS[metric];
      const base = pairs.map(([b]) => b.scores[metric] ?? 0);
      const vari = pairs.map(([, v]) => v.scores[metric] ?? 0);
      const delta = 'ratio' in def ? ratioDelta(metric, pairs, options) : pairedDelta(base, vari, { ...options, clusters });
      const power = delta.n > 0 && Number.isFinite(delta.delta) ? pairedPower(base, vari, delta, def.binary) : undefined;
      out[metric] = { metric, delta, flips: def.binary ? flipStats(base, vari, clusters) : null, ...(power ? { power } : {}) };
    }
  }
  const choices = pairs.filter(([b, v]) => b.outcome.kind === 'multiple_choice' && v.outcome.kind === 'multiple_choice');
  const choiceKL =
    choices.length === 0
      ? null
      : {
          value: meanChoiceKL(
            choices.map(([b]) => (b.outcome as ChoiceOutcome).logprobs),
            choices.map(([, v]) => (v.outcome as ChoiceOutcome).logprobs),
          ),
          n: choices.length,
        };
  return { suiteId: variant[0]?.suiteId ?? baseline[0]?.suiteId ?? '', paired: pairs.length, unpaired: everyId.size - pairs.length, metrics: out, choiceKL };
}

/** Δ of a ratio-of-sums metric (e.g. perplexity), instances resampled jointly for both runs. */
function ratioDelta(metric: MetricId, pairs: readonly [ScoredRecord, ScoredRecord][], options: CompareOptions): PairedDelta {
  const def = METRICS[metric];
  const transform = 'ratio' in def && 'transform' in def.ratio ? def.ratio.transform : (r: number) => r;
  // Keep only instances that contribute to the ratio in both runs, aligned by position.
  const contributing = pairs.filter(([b, v]) => ratioParts(metric, [b]).length > 0 && ratioParts(metric, [v]).length > 0);
  const kept = contributing.map(([b, v]) => [ratioParts(metric, [b])[0], ratioParts(metric, [v])[0]] as const);
  const clusters = clustersOf(contributing.map(([, v]) => v.groupId));
  const n = kept.length;
  if (n === 0) return { n: 0, baselineMean: NaN, variantMean: NaN, delta: NaN, low: NaN, high: NaN };
  const ratioAt = (side: 0 | 1, idx: ArrayLike<number>): number => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < idx.length; i++) {
      num += kept[idx[i]][side]!.num;
      den += kept[idx[i]][side]!.den;
    }
    return transform(num / den);
  };
  const all = Array.from({ length: n }, (_, i) => i);
  const baselineMean = ratioAt(0, all);
  const variantMean = ratioAt(1, all);
  const ci = bootstrapEstimate(n, (idx) => ratioAt(1, idx) - ratioAt(0, idx), { ...options, clusters });
  const out: PairedDelta = { n, baselineMean, variantMean, delta: variantMean - baselineMean, low: ci.low, high: ci.high, se: ci.se };
  return isClustered(clusters) ? { ...out, clustering: ratioDeltaClustering(kept, transform, clusters) } : out;
}

/** Effective n of a Δ of two transformed ratios, from its linearisation (the delta method; transform' by central difference). */
function ratioDeltaClustering(kept: readonly (readonly [{ num: number; den: number }, { num: number; den: number }])[], transform: (r: number) => number, clusters: Clusters): PairedDelta['clustering'] {
  const totals = [0, 1].map((side) => kept.reduce((t, pair) => ({ num: t.num + pair[side].num, den: t.den + pair[side].den }), { num: 0, den: 0 }));
  const slope = totals.map(({ num, den }) => {
    const r = num / den;
    const h = 1e-6 * Math.max(1, Math.abs(r));
    return (transform(r + h) - transform(r - h)) / (2 * h) / den;
  });
  const influence = kept.map((pair) => [0, 1].reduce((e, side) => e + (side === 1 ? 1 : -1) * slope[side] * (pair[side].num - (totals[side].num / totals[side].den) * pair[side].den), 0));
  return clusterInfo(influence, clusters, 'group-bootstrap');
}
