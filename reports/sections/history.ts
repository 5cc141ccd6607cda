import { lineChart, type ChartSpec } from '../charts.js';
import { para, table, type Block } from '../document.js';
import { formatNumber } from '../format.js';
import type { BuiltSection } from './built.js';

/** Trends read from a history store: run labels (oldest first) and one series per cell × metric. */
export interface HistoryTrends {
  readonly source: string;
  readonly runs: readonly { readonly runId: string; readonly createdAt: string; readonly verdict: 'pass' | 'fail' | null }[];
  readonly series: readonly { readonly key: string; readonly higherIsBetter: boolean; readonly values: readonly (number | null)[] }[];
}

/** Why there is no trend: no store, or the store could not be read. */
export type HistoryResult = { readonly state: 'found'; readonly trends: HistoryTrends } | { readonly state: 'absent'; readonly reason: string };

/** Series drawn in the chart (the table lists them all). */
const CHARTED_SERIES = 8;

/** History trends when a history store exists; otherwise says so. */
export function historySection(history: HistoryResult): BuiltSection {
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  if (history.state === 'absent') {
    blocks.push(para(`No history store: ${history.reason}. Add runs with 'compbench history --add RUN_DIR' to see trends here.`));
    return { section: { id: 'history', title: 'History trends', blocks }, charts };
  }
  const { trends } = history;
  blocks.push(para(`${trends.runs.length} runs from ${trends.source}, oldest first; main metric of each cell.`));
  const labels = trends.runs.map((r) => `${r.createdAt.slice(0, 16)}${r.verdict ? ` (${r.verdict})` : ''}`);
  // Only shares (every value in [0, 1]) share one axis; perplexity-like series stay in the table.
  const shares = trends.series.filter((s) => s.values.every((v) => v === null || (v >= 0 && v <= 1)) && s.values.some((v) => v !== null));
  if (shares.length > 0) {
    const chart = lineChart('chart-history', 'History of main metrics (shares)', labels, shares.slice(0, CHARTED_SERIES).map((s) => ({ label: s.key, values: s.values.map((v) => (v === null ? null : v * 100)) })), '%', 'run');
    charts.push(chart);
    blocks.push({ kind: 'chart', chartId: chart.id, title: chart.title });
  }
  blocks.push(table({
    id: 'history-table',
    columns: ['cell / metric', 'direction', ...trends.runs.map((r) => r.runId)],
    rows: trends.series.map((s) => [s.key, s.higherIsBetter ? 'higher is better' : 'lower is better', ...s.values.map((v) => (v === null ? { text: 'n/a' } : { text: formatNumber(v), sort: v }))]),
  }));
  return { section: { id: 'history', title: 'History trends', blocks }, charts };
}
