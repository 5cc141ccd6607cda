import type { RunRecord } from '../../core/run-record.js';
import { barChart, summaryErrorBar, type ChartSpec } from '../charts.js';
import { numCell, para, table, type Block } from '../document.js';
import { formatDelta, formatSummary } from '../format.js';
import { cellOf, comparisonOf, metricOf, orderedVariants, primaryMetric } from '../record-view.js';
import { knowledgePairs, roleBlockId, type KnowledgePair } from '../roles.js';
import type { BuiltSection, ReportInput } from './built.js';

const TITLE = 'Closed- vs open-book knowledge';

/**
 * Closed- vs open-book knowledge per variant, one table per pair of suites with roles
 * knowledge-closed and knowledge-open (the open-book suite names its closed-book twin):
 * the gap separates knowledge lost from retrieval intact.
 */
export function knowledgeSection({ record }: ReportInput): BuiltSection {
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const pairs = knowledgePairs(record);
  if (pairs.length === 0) {
    blocks.push(para("This run has no suite with role 'knowledge-closed' or 'knowledge-open' (suite.json \"role\").", 'warn'));
    return { section: { id: 'knowledge', title: TITLE, blocks }, charts };
  }
  pairs.forEach((pair, i) => {
    const built = pairBlocks(record, pair, i);
    blocks.push(...built.blocks);
    charts.push(built.chart);
  });
  return { section: { id: 'knowledge', title: TITLE, blocks }, charts };
}

function pairBlocks(record: RunRecord, pair: KnowledgePair, index: number): { blocks: Block[]; chart: ChartSpec } {
  const closedId = pair.closed?.id;
  const openId = pair.open?.id;
  const key = (closedId ?? openId)!;
  const metric = primaryMetric(record, key)!;
  const variants = orderedVariants(record);
  const shown = (suiteId: string | undefined, variantId: string): { text: string; value: number | null | undefined } => {
    if (suiteId === undefined) return { text: 'n/a (no such suite)', value: undefined };
    if (cellOf(record, variantId, suiteId)?.state === 'errored') return { text: 'errored', value: undefined };
    const m = metricOf(cellOf(record, variantId, suiteId), metric);
    return { text: formatSummary(m?.overall, ''), value: m?.overall.value };
  };
  const delta = (suiteId: string | undefined, variantId: string) => (suiteId === undefined ? undefined : comparisonOf(cellOf(record, variantId, suiteId), metric)?.delta);
  const deltaText = (suiteId: string | undefined, variantId: string): string => {
    const c = suiteId === undefined ? undefined : comparisonOf(cellOf(record, variantId, suiteId), metric);
    return formatDelta(c?.delta, '', c?.power);
  };
  const rows = variants.map((v) => {
    const closed = shown(closedId, v.id);
    const open = shown(openId, v.id);
    const gap = closed.value != null && open.value != null ? open.value - closed.value : null;
    return [
      v.id,
      numCell(closed.text, closed.value),
      numCell(deltaText(closedId, v.id), delta(closedId, v.id)?.delta),
      numCell(open.text, open.value),
      numCell(deltaText(openId, v.id), delta(openId, v.id)?.delta),
      numCell(gap === null ? 'n/a' : `${(gap * 100).toFixed(1)} pp`, gap),
    ];
  });
  const names = `closed-book ${closedId ?? '(none in the run)'}, open-book ${openId ?? '(none names it as its closedBookTwin)'}`;
  const blocks: Block[] = [
    para(`${names}: ${metric} per variant. A variant that loses closed-book accuracy but keeps open-book accuracy has lost stored knowledge while in-context retrieval still works (LLM-KICK).`),
    table({ id: roleBlockId('knowledge-table', index, key), columns: ['variant', `closed-book ${metric}`, 'Δ closed', `open-book ${metric}`, 'Δ open', 'open − closed'], rows }),
  ];
  const chart = barChart(
    roleBlockId('chart-knowledge', index, key),
    `Closed- vs open-book ${metric}${index === 0 ? '' : ` (${key})`}`,
    variants.map((v) => v.id),
    [closedId, openId].filter((id): id is string => id !== undefined).map((suite) => ({
      label: suite,
      values: variants.map((v) => {
        const value = metricOf(cellOf(record, v.id, suite), metric)?.overall.value;
        return value === null || value === undefined ? null : value * 100;
      }),
      ci: variants.map((v) => summaryErrorBar(metricOf(cellOf(record, v.id, suite), metric)?.overall, 100)),
    })),
    `${metric} (%)`,
  );
  blocks.push({ kind: 'chart', chartId: chart.id, title: chart.title });
  return { blocks, chart };
}
