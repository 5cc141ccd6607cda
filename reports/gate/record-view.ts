import { comparedToOf } from '../../core/pairing.js';
import type { CellRecord, MeasurementRecord, RunRecord } from '../../core/run-record.js';
import type { FlipStats, PairedDelta, PowerEstimate, SliceBreakdown, Summary } from '../../core/stats/index.js';

/**
 * The parts of a cell's aggregate the gate reads (`MetricAggregate` of suites/aggregate.ts,
 * kept structural: reports import only `core`).
 */
export interface MetricView {
  readonly higherIsBetter: boolean;
  readonly overall: Summary;
  readonly slices: readonly SliceBreakdown[];
}

/** The parts of a cell's comparison the gate reads (`MetricComparison` of suites/compare.ts). */
export interface ComparisonView {
  readonly delta: PairedDelta;
  readonly flips: FlipStats | null;
  /** Disagreement rate and MDE (absent in records written before compbench recorded them). */
  readonly power?: PowerEstimate;
}

/** A value the gate could read, or why it could not (fail-closed: the reason becomes the rule's). */
export type Lookup<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const found = <T>(value: T): Lookup<T> => ({ ok: true, value });
const missing = <T>(reason: string): Lookup<T> => ({ ok: false, reason });

/** The cell of `variantId` × `suiteId`, failing when it is missing or errored. */
export function okCell(record: RunRecord, variantId: string, suiteId: string): Lookup<Extract<CellRecord, { state: 'ok' }>> {
  const cell = record.cells.find((c) => c.variantId === variantId && c.suiteId === suiteId);
  if (!cell) return missing(`no cell for ${variantId} × ${suiteId} in the run (not evaluated)`);
  if (cell.state === 'errored') return missing(`cell ${variantId} × ${suiteId} errored: ${cell.error}`);
  const bad = nonFinitePath(cell.aggregate, 'aggregate') ?? nonFinitePath(cell.vsBaseline, 'vsBaseline');
  if (bad) return missing(`cell ${variantId} × ${suiteId} holds a non-finite number at ${bad}`);
  // Instances that failed in the baseline too (the input's fault: an over-long prompt) are
  // excluded on both sides; one that failed only here (non-finite logits) fails the rule.
  const own = cell.instanceErrors;
  const parent = comparedToOf(record, variantId);
  if (own && parent !== undefined) {
    const base = record.cells.find((c) => c.variantId === parent && c.suiteId === suiteId);
    const baseIds = new Set(base?.state === 'ok' ? (base.instanceErrors?.ids ?? []) : []);
    const onlyHere = own.ids.filter((id) => !baseIds.has(id));
    if (onlyHere.length > 0 || own.count > own.ids.length) {
      return missing(`cell ${variantId} × ${suiteId}: ${own.count} of ${own.of} instances failed (${onlyHere.length > 0 ? `${onlyHere.length} only in this variant, e.g. ${onlyHere[0]}` : 'too many to pair'}): ${own.first}`);
    }
  }
  return found(cell);
}

/** The path of the first NaN or ±Infinity in a JSON-like value (a record built in memory can hold them). */
export function nonFinitePath(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} (${value})`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nonFinitePath(value[i], `${path}[${i}]`);
      if (p) return p;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = nonFinitePath(v, `${path}.${k}`);
      if (p) return p;
    }
  }
  return undefined;
}

/** A metric's aggregate in an ok cell. */
export function metricView(cell: Extract<CellRecord, { state: 'ok' }>, metric: string): Lookup<MetricView> {
  const metrics = (cell.aggregate as { metrics?: Record<string, unknown> }).metrics;
  const m = metrics?.[metric] as Partial<MetricView> | undefined;
  if (!m || typeof m.higherIsBetter !== 'boolean' || !m.overall || !Array.isArray(m.slices)) {
    return missing(`cell ${cell.variantId} × ${cell.suiteId} has no aggregate for metric '${metric}'`);
  }
  return found(m as MetricView);
}

/** A metric's comparison against the variant's parent in an ok cell. */
export function comparisonView(cell: Extract<CellRecord, { state: 'ok' }>, metric: string): Lookup<ComparisonView> {
  if (!cell.vsBaseline) return missing(`cell ${cell.variantId} × ${cell.suiteId} has no comparison against the baseline (it stands on its own, or its parent's cell is missing)`);
  const metrics = (cell.vsBaseline as { metrics?: Record<string, unknown> }).metrics;
  const c = metrics?.[metric] as Partial<ComparisonView> | undefined;
  if (!c || !c.delta) {
    const paired = (cell.vsBaseline as { paired?: number }).paired;
    return missing(`cell ${cell.variantId} × ${cell.suiteId} has no comparison for '${metric}' (paired instances: ${paired ?? 'unknown'})`);
  }
  return found({ delta: c.delta, flips: c.flips ?? null, ...(c.power ? { power: c.power } : {}) });
}

/** A metric's paired comparison within one slice (`tag=value`) of an ok cell, when the record holds per-slice comparisons. */
export function sliceComparisonView(cell: Extract<CellRecord, { state: 'ok' }>, metric: string, slice: { tag: string; value: string }): ComparisonView | undefined {
  const slices = (cell.vsBaseline as { slices?: { tag: string; slice: string; metrics?: Record<string, Partial<ComparisonView>> }[] } | undefined)?.slices;
  const c = slices?.find((s) => s.tag === slice.tag && s.slice === slice.value)?.metrics?.[metric];
  if (!c?.delta) return undefined;
  return { delta: c.delta, flips: c.flips ?? null, ...(c.power ? { power: c.power } : {}) };
}

/** The summary of one slice (`tag=value`) or, without a slice, the overall summary. */
export function summaryOf(view: MetricView, slice?: { tag: string; value: string }): Summary | undefined {
  if (!slice) return view.overall;
  return view.slices.find((b) => b.tag === slice.tag)?.slices.find((s) => s.slice === slice.value);
}

/**
 * Why a summary cannot be gated on, or null when it can: absent, no value, flagged
 * `tooFew` by the aggregate, or n below the policy's minN. `what` names it in the reason.
 */
export function unusableSummary(summary: Summary | undefined, what: string, minN: number): string | null {
  if (!summary) return `${what}: not in the aggregate`;
  if (summary.value === null || !Number.isFinite(summary.value)) return `${what}: no value (n=${summary.n})`;
  if (summary.tooFew) {
    return `${what}: too few instances to trust (tooFew: n=${summary.n}, 95% CI [${fmt(summary.low)}, ${fmt(summary.high)}])`;
  }
  if (summary.n < minN) return `${what}: n=${summary.n} is below the policy's minN ${minN}`;
  return null;
}

/** A variant's measurement, or why there is none. */
export function measurementOf(record: RunRecord, variantId: string): Lookup<MeasurementRecord> {
  if (!record.measurements) return missing('the run has no measurements (it was run without measuring speed and memory)');
  const m = record.measurements.find((x) => x.variantId === variantId);
  if (!m) return missing(`no measurement for variant ${variantId} in the run`);
  return found(m);
}

/** A number for people: 4 significant digits, integers as they are, `n/a` for null. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}
