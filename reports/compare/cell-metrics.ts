import type { RunRecord } from '../../core/run-record.js';

/** One variant × suite × metric of a run, read from the cell's aggregate (plain JSON). */
export interface CellMetric {
  readonly variantId: string;
  readonly suiteId: string;
  readonly metric: string;
  /** True for the suite's first metric (the one trends and summaries show by default). */
  readonly main: boolean;
  /** `errored`: the cell failed, or its aggregate lacks this metric; the numbers are null. */
  readonly state: 'ok' | 'errored';
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
  readonly tooFew: boolean;
  readonly higherIsBetter: boolean;
  /** `wilson` marks a 0/1 metric (proportion); `bootstrap` any other mean or ratio. */
  readonly method: string;
  readonly unit: string;
}

interface SummaryJson {
  readonly n?: number;
  readonly value?: number | null;
  readonly low?: number | null;
  readonly high?: number | null;
  readonly tooFew?: boolean;
  readonly method?: string;
}
interface MetricAggregateJson {
  readonly higherIsBetter?: boolean;
  readonly unit?: string;
  readonly overall?: SummaryJson;
}

/** The `VARIANT/SUITE/METRIC` key of a cell metric (variant ids may themselves hold '/'). */
export function cellKey(c: Pick<CellMetric, 'variantId' | 'suiteId' | 'metric'>): string {
  return `${c.variantId}/${c.suiteId}/${c.metric}`;
}

/**
 * Every cell × metric of a run, in the record's cell order and the suite's metric
 * order. Errored cells give one `errored` row per metric of their suite, so a failure
 * shows up in trends and comparisons instead of vanishing.
 */
export function cellMetrics(record: RunRecord): CellMetric[] {
  const suiteMetrics = new Map(record.suites.map((s) => [s.id, s.metrics]));
  const rows: CellMetric[] = [];
  for (const cell of record.cells) {
    const metrics = suiteMetrics.get(cell.suiteId) ?? [];
    const aggregates = cell.state === 'ok' ? ((cell.aggregate.metrics ?? {}) as Record<string, MetricAggregateJson>) : {};
    const names = metrics.length > 0 ? metrics : Object.keys(aggregates);
    names.forEach((metric, i) => {
      const agg = aggregates[metric];
      const overall = agg?.overall;
      const base = { variantId: cell.variantId, suiteId: cell.suiteId, metric, main: i === 0 };
      const ok = cell.state === 'ok' && overall !== undefined && typeof overall.value === 'number';
      rows.push({
        ...base,
        state: ok ? 'ok' : 'errored',
        value: ok ? (overall.value as number) : null,
        low: ok ? (overall.low ?? null) : null,
        high: ok ? (overall.high ?? null) : null,
        n: overall?.n ?? 0,
        tooFew: overall?.tooFew ?? true,
        higherIsBetter: agg?.higherIsBetter ?? true,
        method: overall?.method ?? 'unknown',
        unit: agg?.unit ?? '',
      });
    });
  }
  return rows;
}

/** Half the width of a row's 95% interval, or null without one. */
export function ciHalfWidth(row: Pick<CellMetric, 'low' | 'high'>): number | null {
  return row.low === null || row.high === null ? null : (row.high - row.low) / 2;
}
