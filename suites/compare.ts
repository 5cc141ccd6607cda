import { bootstrapInterval, flipStats, meanChoiceKL, pairedDelta, type FlipStats, type PairedDelta } from '../core/stats/index.js';
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
  /** Δ = variant − baseline with its paired 95% interval (for ratio metrics: Δ of the corpus-level ratio). */
  readonly delta: PairedDelta;
  /** Right→wrong / wrong→right flips and McNemar's exact p (0/1 metrics only). */
  readonly flips: FlipStats | null;
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
    for (const metric of metrics) {
      const def = METRICS[metric];
      const base = pairs.map(([b]) => b.scores[metric] ?? 0);
      const vari = pairs.map(([, v]) => v.scores[metric] ?? 0);
      const delta = 'ratio' in def ? ratioDelta(metric, pairs, options) : pairedDelta(base, vari, options);
      out[metric] = { metric, delta, flips: def.binary ? flipStats(base, vari) : null };
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
  const kept = pairs
    .map(([b, v]) => [ratioParts(metric, [b])[0], ratioParts(metric, [v])[0]] as const)
    .filter(([b, v]) => b !== undefined && v !== undefined);
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
  const ci = bootstrapInterval(n, (idx) => ratioAt(1, idx) - ratioAt(0, idx), options);
  return { n, baselineMean, variantMean, delta: variantMean - baselineMean, low: ci.low, high: ci.high };
}
