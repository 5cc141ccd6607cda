import { barChart, type ChartSpec } from '../charts.js';
import { numCell, para, table, type Block } from '../document.js';
import { formatDelta, formatSummary } from '../format.js';
import { cellOf, comparisonOf, metricOf, orderedVariants, primaryMetric } from '../record-view.js';
import type { BuiltSection, ReportInput } from './built.js';

const CLOSED = 'knowledge-closed';
const OPEN = 'knowledge-open';

/** Closed- vs open-book knowledge per variant: the gap separates knowledge lost from retrieval intact. */
export function knowledgeSection({ record }: ReportInput): BuiltSection {
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const has = (id: string): boolean => record.suites.some((s) => s.id === id);
  if (!has(CLOSED) && !has(OPEN)) {
    blocks.push(para(`This run has neither ${CLOSED} nor ${OPEN}.`, 'warn'));
    return { section: { id: 'knowledge', title: 'Closed- vs open-book knowledge', blocks }, charts };
  }
  const metric = primaryMetric(record, has(CLOSED) ? CLOSED : OPEN)!;
  const variants = orderedVariants(record);
  const rows = variants.map((v) => {
    const closed = metricOf(cellOf(record, v.id, CLOSED), metric);
    const open = metricOf(cellOf(record, v.id, OPEN), metric);
    const gap = closed?.overall.value != null && open?.overall.value != null ? open.overall.value - closed.overall.value : null;
    return [
      v.id,
      numCell(cellOf(record, v.id, CLOSED)?.state === 'errored' ? 'errored' : formatSummary(closed?.overall, ''), closed?.overall.value),
      numCell(formatDelta(comparisonOf(cellOf(record, v.id, CLOSED), metric)?.delta, ''), comparisonOf(cellOf(record, v.id, CLOSED), metric)?.delta.delta),
      numCell(cellOf(record, v.id, OPEN)?.state === 'errored' ? 'errored' : formatSummary(open?.overall, ''), open?.overall.value),
      numCell(formatDelta(comparisonOf(cellOf(record, v.id, OPEN), metric)?.delta, ''), comparisonOf(cellOf(record, v.id, OPEN), metric)?.delta.delta),
      numCell(gap === null ? 'n/a' : `${(gap * 100).toFixed(1)} pp`, gap),
    ];
  });
  blocks.push(para(`${metric} per variant. A variant that loses closed-book accuracy but keeps open-book accuracy has lost stored knowledge while in-context retrieval still works (LLM-KICK).`));
  blocks.push(table({ id: 'knowledge-table', columns: ['variant', `closed-book ${metric}`, 'Δ closed', `open-book ${metric}`, 'Δ open', 'open − closed'], rows }));
  const chart = barChart(
    'chart-knowledge',
    `Closed- vs open-book ${metric}`,
    variants.map((v) => v.id),
    [CLOSED, OPEN].filter(has).map((suite) => ({
      label: suite,
      values: variants.map((v) => {
        const value = metricOf(cellOf(record, v.id, suite), metric)?.overall.value;
        return value === null || value === undefined ? null : value * 100;
      }),
    })),
    `${metric} (%)`,
  );
  charts.push(chart);
  blocks.push({ kind: 'chart', chartId: chart.id, title: chart.title });
  return { section: { id: 'knowledge', title: 'Closed- vs open-book knowledge', blocks }, charts };
}
