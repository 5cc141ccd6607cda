import {
  ciWidthRuleOf,
  clustersOf,
  sliceBreakdownWith,
  summarizeRatio,
  summarizeScores,
  worstCaseByGroup,
  type CiWidthRule,
  type SliceBreakdown,
  type Summary,
  type SummaryOptions,
} from '../core/stats/index.js';
import { METRICS, type MetricId } from './metrics/registry.js';
import type { RatioParts, RollingOutcome } from './metrics/types.js';
import type { InstanceRecord, ScoredRecord } from './score.js';
import type { LoadedSuite, RequestKindId } from './spec.js';

/** Settings of the aggregates' intervals. */
export interface AggregateOptions {
  /** Bootstrap seed (default 0). */
  readonly seed?: number;
  /** Bootstrap resamples (default 2000). */
  readonly resamples?: number;
  /** Overrides the suite's maxCiWidth (default 0.2). */
  readonly maxCiWidth?: number;
}

/** One metric over a suite: overall, per slice, and worst case over counterfactual groups. */
export interface MetricAggregate {
  readonly metric: MetricId;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** The rule every summary of this metric is flagged `tooFew` by (core/stats/ci-width.ts). */
  readonly ciWidthRule: CiWidthRule;
  readonly overall: Summary;
  /** One breakdown per slice tag named in suite.json. */
  readonly slices: readonly SliceBreakdown[];
  /** HELM worst case over instances sharing a group id; null without groups or for ratio metrics. */
  readonly worstCase: Summary | null;
}

/** A suite's aggregates (plain JSON, one cell of a run record). */
export interface SuiteAggregate {
  readonly suiteId: string;
  readonly suiteVersion: string;
  readonly suiteHash: string;
  readonly kind: RequestKindId;
  /** Instances in the suite. */
  readonly n: number;
  readonly scored: number;
  /** Instances whose requests failed: excluded from every metric and counted here. */
  readonly errored: number;
  readonly metrics: Readonly<Partial<Record<MetricId, MetricAggregate>>>;
}

/**
 * Aggregates per-instance records: for each metric the value, n and 95% interval
 * (Wilson for 0/1 metrics, bootstrap otherwise; ratio of sums for perplexity-like
 * metrics), per-slice breakdowns and the worst case over counterfactual groups.
 * Records sharing a group id (suite.json `groupField`) are near-duplicates: every
 * interval, overall and per slice, treats each group as one unit (see
 * {@link summarizeMetric}) and records the effective n.
 */
export function aggregateRecords(
  suite: Pick<LoadedSuite, 'spec' | 'hash'>,
  records: readonly InstanceRecord[],
  options: AggregateOptions = {},
): SuiteAggregate {
  const scored = records.filter((r): r is ScoredRecord => r.state === 'scored');
  const metrics: Partial<Record<MetricId, MetricAggregate>> = {};
  for (const metric of suite.spec.metrics as readonly MetricId[]) {
    const def = METRICS[metric];
    const stats: SummaryOptions = {
      seed: options.seed,
      resamples: options.resamples,
      maxCiWidth: options.maxCiWidth ?? suite.spec.maxCiWidth,
      relativeWidth: def.ciWidth === 'relative',
      kind: def.binary ? 'proportion' : 'mean',
    };
    const summarize = (members: readonly ScoredRecord[]): Summary => summarizeMetric(metric, members, stats);
    const hasGroups = scored.some((r) => r.groupId !== undefined);
    metrics[metric] = {
      metric,
      unit: def.unit,
      higherIsBetter: def.higherIsBetter,
      ciWidthRule: ciWidthRuleOf(stats),
      overall: summarize(scored),
      slices: (suite.spec.slices ?? []).map((tag) => sliceBreakdownWith(scored, tag, summarize, def.higherIsBetter)),
      worstCase: hasGroups && !('ratio' in def) ? worstCase(metric, scored, stats) : null,
    };
  }
  return {
    suiteId: suite.spec.id,
    suiteVersion: suite.spec.version,
    suiteHash: suite.hash,
    kind: suite.spec.kind,
    n: records.length,
    scored: scored.length,
    errored: records.length - scored.length,
    metrics,
  };
}

/**
 * A metric's summary over some records: a ratio of sums where the metric defines one,
 * else the mean score. Records that share a group id are resampled as one group (group
 * bootstrap) or, for 0/1 metrics, counted through the design effect (Wilson on the
 * effective n); records without one are their own group.
 */
export function summarizeMetric(metric: MetricId, records: readonly ScoredRecord[], options: SummaryOptions): Summary {
  const def = METRICS[metric];
  if ('ratio' in def) {
    const kept = records.filter((r) => ratioParts(metric, [r]).length > 0);
    const parts = ratioParts(metric, kept);
    const transform = 'transform' in def.ratio ? def.ratio.transform : undefined;
    return summarizeRatio(parts.map((p) => p.num), parts.map((p) => p.den), transform, { ...options, clusters: clustersOf(kept.map((r) => r.groupId)) });
  }
  return summarizeScores(records.map((r) => r.scores[metric] ?? 0), { ...options, clusters: clustersOf(records.map((r) => r.groupId)) });
}

/** Ratio contributions of the records that have any (instances without target words drop out of word metrics). */
export function ratioParts(metric: MetricId, records: readonly ScoredRecord[]): RatioParts[] {
  const def = METRICS[metric];
  if (!('ratio' in def)) return [];
  return records
    .filter((r) => r.outcome.kind === 'rolling')
    .map((r) => def.ratio.parts(r.outcome as RollingOutcome))
    .filter((p) => p.den > 0);
}

function worstCase(metric: MetricId, records: readonly ScoredRecord[], options: SummaryOptions): Summary {
  // worstCaseByGroup takes the minimum; negate for lower-is-better metrics so it takes the maximum.
  const sign = METRICS[metric].higherIsBetter ? 1 : -1;
  const groups = worstCaseByGroup(
    records.map((r) => ({ score: sign * (r.scores[metric] ?? 0), ...(r.groupId === undefined ? {} : { groupId: r.groupId }) })),
  );
  return summarizeScores(groups.map((g) => sign * g.score), options);
}
