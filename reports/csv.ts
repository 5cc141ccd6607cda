import { stringify } from 'csv-stringify/sync';
import type { RunRecord } from '../core/run-record.js';
import { neutralizeCsvCell } from './escape.js';
import { comparisonOf, metricOf, orderedVariants } from './record-view.js';

/** Columns of results.csv, in order. */
export const CSV_COLUMNS = [
  'run_id', 'variant', 'method', 'execution_form', 'suite', 'metric', 'slice', 'unit', 'state',
  'value', 'ci_low', 'ci_high', 'n', 'too_few', 'delta', 'delta_ci_low', 'delta_ci_high', 'delta_n',
  'flip_rate', 'mcnemar_p', 'error',
] as const;

type CsvValue = string | number | null | undefined;

/**
 * results.csv: one row per cell × metric (slice empty) plus one per slice, with value,
 * 95% CI, n, Δ vs baseline and its CI; an errored cell is one row with its error.
 * Every string cell is neutralized against formula injection; numbers stay numbers.
 */
export function resultsCsv(record: RunRecord): string {
  const rows: CsvValue[][] = [];
  for (const v of orderedVariants(record)) {
    for (const suite of record.suites) {
      const cell = record.cells.find((c) => c.variantId === v.id && c.suiteId === suite.id);
      const head = [record.runId, v.id, v.method, v.executionForm, suite.id];
      if (!cell) continue;
      if (cell.state === 'errored') {
        rows.push([...head, '', '', '', 'errored', null, null, null, null, null, null, null, null, null, null, null, cell.error]);
        continue;
      }
      for (const metric of suite.metrics) {
        const m = metricOf(cell, metric);
        if (!m) continue;
        const cmp = comparisonOf(cell, metric);
        const o = m.overall;
        rows.push([
          ...head, metric, '', m.unit, 'ok', o.value, o.low, o.high, o.n, o.tooFew ? 'true' : 'false',
          cmp?.delta.delta, cmp?.delta.low, cmp?.delta.high, cmp?.delta.n, cmp?.flips?.flipRate, cmp?.flips?.mcnemarP, '',
        ]);
        for (const b of m.slices) {
          for (const s of b.slices) {
            rows.push([...head, metric, `${s.tag}=${s.slice}`, m.unit, 'ok', s.value, s.low, s.high, s.n, s.tooFew ? 'true' : 'false', null, null, null, null, null, null, '']);
          }
        }
      }
    }
  }
  return stringify([[...CSV_COLUMNS], ...rows.map((r) => r.map(neutralizeCsvCell))]);
}
