import { stringify } from 'csv-stringify/sync';
import type { CellAgreement, RunRecord } from '../core/run-record.js';
import { describeCiWidthRule, measuredCiWidth, tooFewReason, type CiWidthRule } from '../core/stats/ci-width.js';
import { neutralizeCsvCell } from './escape.js';
import { comparisonOf, metricOf, orderedVariants, parentOf, sliceComparisonOf, type MetricComparisonView, type SummaryView } from './record-view.js';

/** Columns of results.csv, in order. */
export const CSV_COLUMNS = [
  'run_id', 'variant', 'model', 'compared_to', 'method', 'execution_form', 'suite', 'metric', 'slice', 'unit', 'state',
  'value', 'ci_low', 'ci_high', 'n', 'too_few', 'ci_width', 'ci_width_rule', 'too_few_reason',
  'delta', 'delta_ci_low', 'delta_ci_high', 'delta_n', 'flip_rate', 'mcnemar_p', 'error',
] as const;

type CsvValue = string | number | null | undefined;

/**
 * results.csv: one row per cell × metric (slice empty) plus one per slice, each with
 * value, 95% CI, n, the too-few flag with the width its rule measured, and Δ vs the
 * variant's parent (`compared_to`) with its paired CI, per slice on the slice's own
 * instances; an errored cell is one row with its error. Every string cell is
 * neutralized against formula injection; numbers stay numbers.
 */
export function resultsCsv(record: RunRecord): string {
  const rows: CsvValue[][] = [];
  for (const v of orderedVariants(record)) {
    for (const suite of record.suites) {
      const cell = record.cells.find((c) => c.variantId === v.id && c.suiteId === suite.id);
      const head = [record.runId, v.id, v.model, parentOf(record, v.id) ?? '', v.method, v.executionForm, suite.id];
      if (!cell) continue;
      if (cell.state === 'errored') {
        rows.push([...head, '', '', '', 'errored', ...Array<null>(14).fill(null), cell.error]);
        continue;
      }
      for (const metric of suite.metrics) {
        const m = metricOf(cell, metric);
        if (!m) continue;
        rows.push([...head, metric, '', m.unit, 'ok', ...summaryColumns(m.overall, m.ciWidthRule), ...deltaColumns(comparisonOf(cell, metric)), '']);
        for (const b of m.slices) {
          for (const s of b.slices) {
            const cmp = sliceComparisonOf(cell, metric, s.tag, s.slice);
            rows.push([...head, metric, `${s.tag}=${s.slice}`, m.unit, 'ok', ...summaryColumns(s, m.ciWidthRule), ...deltaColumns(cmp), '']);
          }
        }
      }
      if (cell.agreement) rows.push(...agreementRows(head, cell.agreement));
    }
  }
  return stringify([[...CSV_COLUMNS], ...rows.map((r) => r.map(neutralizeCsvCell))]);
}

/**
 * Distribution agreement with the baseline as rows of pseudo-metrics: `agreement.mean_kl`
 * (nats/token) and `agreement.same_top_rate` with their 95% CI and n = scored tokens, then
 * `agreement.dp_mean|p1|p5|p50|p95|p99` (no CI); a top-K lower bound says so in the unit;
 * `not computed` is one row with the reason.
 */
function agreementRows(head: CsvValue[], a: CellAgreement): CsvValue[][] {
  const blank = (n: number): null[] => Array<null>(n).fill(null);
  if (a.state !== 'computed') return [[...head, 'agreement.mean_kl', '', 'nats/token', 'not computed', ...blank(14), a.reason]];
  const est = (metric: string, unit: string, e: { value: number; low: number; high: number }): CsvValue[] =>
    [...head, metric, '', unit, 'ok', e.value, e.low, e.high, a.tokens, 'false', null, '', '', ...blank(6), ''];
  const dp = (['mean', 'p1', 'p5', 'p50', 'p95', 'p99'] as const).map((k): CsvValue[] => [...head, `agreement.dp_${k}`, '', 'probability', 'ok', a.dp[k], null, null, a.tokens, 'false', null, '', '', ...blank(6), '']);
  return [est('agreement.mean_kl', a.bound === 'exact' ? 'nats/token' : `nats/token (${a.bound})`, a.meanKl), est('agreement.same_top_rate', 'share', a.sameTopRate), ...dp];
}

function summaryColumns(s: SummaryView, rule: CiWidthRule | undefined): CsvValue[] {
  return [
    s.value, s.low, s.high, s.n, s.tooFew ? 'true' : 'false',
    rule ? measuredCiWidth(s, rule) : null,
    rule ? describeCiWidthRule(rule) : '',
    rule && s.tooFew ? tooFewReason(s, rule) ?? '' : '',
  ];
}

function deltaColumns(cmp: MetricComparisonView | undefined): CsvValue[] {
  return [cmp?.delta.delta, cmp?.delta.low, cmp?.delta.high, cmp?.delta.n, cmp?.flips?.flipRate, cmp?.flips?.mcnemarP];
}
