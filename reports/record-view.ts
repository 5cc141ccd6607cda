import { comparedToOf, variantFamilies } from '../core/pairing.js';
import type { CellRecord, MeasurementRecord, RunRecord, VariantRecord } from '../core/run-record.js';
import type { CiWidthRule } from '../core/stats/ci-width.js';
import type { ClusteredFlipTest } from '../core/stats/cluster-test.js';
import type { ClusterInfo } from '../core/stats/clusters.js';
import type { PairedDelta } from '../core/stats/paired.js';
import type { PowerEstimate } from '../core/stats/power.js';

/**
 * Typed views of the plain-JSON aggregates a run record carries (written by suites/,
 * which reports may not import): the field names mirror `SuiteAggregate`,
 * `SuiteComparison` and `core/stats` `Summary`/`SliceBreakdown`/`PairedDelta`/`FlipStats`.
 */
export interface SummaryView {
  readonly n: number;
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly method?: string;
  readonly tooFew?: boolean;
  /** Groups of near-duplicates, design effect and effective n (absent: every instance its own unit). */
  readonly clustering?: ClusterInfo;
}

/** One slice of a tag. */
export interface SliceView extends SummaryView {
  readonly tag: string;
  readonly slice: string;
}

/** Per-slice summaries of one tag, with the worst slice and the max gap. */
export interface BreakdownView {
  readonly tag: string;
  readonly slices: readonly SliceView[];
  readonly worst: SliceView | null;
  readonly maxGap: number | null;
  readonly untagged: number;
}

/** One metric of a cell's aggregate. */
export interface MetricView {
  readonly metric: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** The rule its summaries are flagged `tooFew` by (absent in records written before it was recorded). */
  readonly ciWidthRule?: CiWidthRule;
  readonly overall: SummaryView;
  readonly slices: readonly BreakdownView[];
  readonly worstCase: SummaryView | null;
}

/** Δ = variant − baseline with its paired 95% interval (core/stats' PairedDelta, as stored). */
export type DeltaView = PairedDelta;

/** Right→wrong / wrong→right flips and McNemar's p. */
export interface FlipView {
  readonly n: number;
  readonly rightToWrong: number;
  readonly wrongToRight: number;
  readonly flipRate: number;
  /** Per-instance McNemar exact p. */
  readonly mcnemarP: number;
  /** The test over groups of near-duplicates, when the suite has them: its p is the one to read. */
  readonly clustered?: ClusteredFlipTest;
}

/** One metric of a cell's comparison with the baseline. */
export interface MetricComparisonView {
  readonly delta: DeltaView;
  readonly flips: FlipView | null;
  /** Disagreement rate and minimum detectable effect (absent in records written before compbench recorded them). */
  readonly power?: PowerEstimate;
}

/** An ok cell. */
export type OkCell = Extract<CellRecord, { state: 'ok' }>;

/** The cell of a variant × suite, if the run has one. */
export function cellOf(record: RunRecord, variantId: string, suiteId: string): CellRecord | undefined {
  return record.cells.find((c) => c.variantId === variantId && c.suiteId === suiteId);
}

/** A metric's aggregate in a cell (undefined for an errored cell or an absent metric). */
export function metricOf(cell: CellRecord | undefined, metric: string): MetricView | undefined {
  if (cell?.state !== 'ok') return undefined;
  const metrics = (cell.aggregate as { metrics?: Record<string, MetricView> }).metrics;
  return metrics?.[metric];
}

/** A metric's comparison with the baseline in a cell (undefined for the baseline itself). */
export function comparisonOf(cell: CellRecord | undefined, metric: string): MetricComparisonView | undefined {
  if (cell?.state !== 'ok' || !cell.vsBaseline) return undefined;
  const metrics = (cell.vsBaseline as { metrics?: Record<string, MetricComparisonView> }).metrics;
  return metrics?.[metric];
}

/** A metric's paired comparison within one slice (`tag=slice`) of a cell, when the run recorded per-slice comparisons. */
export function sliceComparisonOf(cell: CellRecord | undefined, metric: string, tag: string, slice: string): MetricComparisonView | undefined {
  if (cell?.state !== 'ok' || !cell.vsBaseline) return undefined;
  const slices = (cell.vsBaseline as { slices?: { tag: string; slice: string; metrics?: Record<string, MetricComparisonView> }[] }).slices;
  return slices?.find((s) => s.tag === tag && s.slice === slice)?.metrics?.[metric];
}

/** The mean choice KL(baseline ‖ variant) of a multiple-choice cell, if recorded. */
export function choiceKlOf(cell: CellRecord | undefined): { value: number; n: number } | null {
  if (cell?.state !== 'ok' || !cell.vsBaseline) return null;
  return (cell.vsBaseline as { choiceKL?: { value: number; n: number } | null }).choiceKL ?? null;
}

/** The metric a suite is summarized by: the first metric suite.json lists. */
export function primaryMetric(record: RunRecord, suiteId: string): string | undefined {
  return record.suites.find((s) => s.id === suiteId)?.metrics[0];
}

/** The variant's compression setting for the heatmap's columns: `w4`, `50% sparse`, `2:4`, or `—`. */
export function variantSetting(v: VariantRecord): string {
  const p = v.params as Record<string, unknown>;
  if (typeof p.bits === 'number') return `w${p.bits}`;
  if (v.method === 'gguf') return `${String(p.type)}${p.kvCache && p.kvCache !== 'f32' ? `, KV ${String(p.kvCache)}` : ''}`;
  if (v.method === 'kv-cache') return `KV ${String(p.type)}`;
  if (typeof p.sparsity === 'number') return `${Math.round(p.sparsity * 100)}% sparse`;
  if (typeof p.n === 'number' && typeof p.m === 'number') return `${p.n}:${p.m}`;
  if (typeof p.ratio === 'number') return `ratio ${p.ratio}`;
  return v.method === 'none' ? 'fp32' : '—';
}

/** The measurement of a variant, if the run measured it. */
export function measurementOf(record: RunRecord, variantId: string): MeasurementRecord | undefined {
  return record.measurements?.find((m) => m.variantId === variantId);
}

/** Variants other than the baseline that were compressed (method ≠ none). */
export function compressedVariants(record: RunRecord): VariantRecord[] {
  return record.variants.filter((v) => v.method !== 'none');
}

/**
 * Variants grouped by model family (core/pairing.ts), the baseline's family first, each
 * family in record order: a model, then the variants compressed from it.
 */
export function orderedVariants(record: RunRecord): VariantRecord[] {
  const families = variantFamilies(record);
  const first = families.filter((f) => f.model === record.variants.find((v) => v.id === record.baseline)?.model);
  return [...first, ...families.filter((f) => !first.includes(f))].flatMap((f) => f.variants);
}

/** The variant a variant is compared with (its parent), or undefined when it stands on its own. */
export function parentOf(record: RunRecord, variantId: string): string | undefined {
  return comparedToOf(record, variantId);
}

/** Suites of the run whose id matches a predicate, in record order. */
export function suitesWhere(record: RunRecord, test: (id: string) => boolean): string[] {
  return record.suites.map((s) => s.id).filter(test);
}
