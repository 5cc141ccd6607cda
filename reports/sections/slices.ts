import type { RunRecord, SuiteRecord } from '../../core/run-record.js';
import { lineChart, summaryErrorBar, type ChartSpec } from '../charts.js';
import { numCell, para, table, type Block } from '../document.js';
import { formatDelta, formatDifference, formatSummary, isShare } from '../format.js';
import { cellOf, metricOf, orderedVariants, parentOf, primaryMetric, sliceComparisonOf, type BreakdownView } from '../record-view.js';
import { roleBlockId, roleSliceOf, suitesWithRole } from '../roles.js';
import type { BuiltSection, ReportInput } from './built.js';
import { fairnessCharts } from './fairness-charts.js';
import { linesByVariant, sliceGapInterval } from './fairness-gap.js';

/** Frequency buckets from rarest to most frequent (`1-4` < `5-19` < `20-99` < `100+`). */
export function bucketOrder(a: string, b: string): number {
  return (parseInt(a, 10) || 0) - (parseInt(b, 10) || 0) || a.localeCompare(b);
}

function breakdown(record: RunRecord, variantId: string, suiteId: string, metric: string, tag: string): BreakdownView | undefined {
  return metricOf(cellOf(record, variantId, suiteId), metric)?.slices.find((s) => s.tag === tag);
}

/** Rare-word accuracy by training-frequency bucket, per variant: one table and chart per suite with role rare-words. */
export function rareWordsSection({ record }: ReportInput): BuiltSection {
  const title = 'Rare words by frequency bucket';
  const suites = suitesWithRole(record, 'rare-words');
  if (suites.length === 0) {
    return { section: { id: 'rare-words', title, blocks: [para("This run has no suite with role 'rare-words' (suite.json \"role\").", 'warn')] }, charts: [] };
  }
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  suites.forEach((suite, index) => {
    const built = rareWordsBlocks(record, suite, index);
    blocks.push(...built.blocks);
    charts.push(...built.charts);
  });
  return { section: { id: 'rare-words', title, blocks }, charts };
}

function rareWordsBlocks(record: RunRecord, suite: SuiteRecord, index: number): { blocks: Block[]; charts: ChartSpec[] } {
  const suiteId = suite.id;
  const metric = suite.metrics.includes('word_acc') ? 'word_acc' : suite.metrics[0];
  const tag = roleSliceOf(record, suite, metric);
  if (tag === undefined) return { blocks: [para(`${suiteId}: no slices recorded: name the frequency-bucket tag in "slices" (or "roleSlice").`, 'warn')], charts: [] };
  const variants = orderedVariants(record);
  const buckets = [...new Set(variants.flatMap((v) => breakdown(record, v.id, suiteId, metric, tag)?.slices.map((s) => s.slice) ?? []))].sort(bucketOrder);
  const unit = variants.map((v) => metricOf(cellOf(record, v.id, suiteId), metric)?.unit).find((u) => u !== undefined) ?? '';
  const rows = variants.map((v) => {
    const b = breakdown(record, v.id, suiteId, metric, tag);
    const parent = parentOf(record, v.id);
    const baseRow = parent === undefined ? undefined : breakdown(record, parent, suiteId, metric, tag);
    return [
      v.id,
      ...buckets.map((bucket) => {
        const s = b?.slices.find((x) => x.slice === bucket);
        const pairedCmp = sliceComparisonOf(cellOf(record, v.id, suiteId), metric, tag, bucket);
        const paired = pairedCmp?.delta;
        const base = baseRow?.slices.find((x) => x.slice === bucket)?.value;
        const diff = paired
          ? ` (Δ ${formatDelta(paired, unit, pairedCmp.power)} vs ${parent})`
          : s?.value != null && base != null ? ` (${formatDifference(s.value - base, unit)} vs ${parent}, unpaired)` : '';
        return numCell(cellOf(record, v.id, suiteId)?.state === 'errored' ? 'errored' : `${formatSummary(s, unit)}${diff}`, s?.value);
      }),
    ];
  });
  const blocks: Block[] = [
    para(`${suiteId}: ${metric} by the target word's ${tag} (buckets from rarest; the chart's bars are 95% CIs). Per bucket: value [95% CI], n, and Δ vs the variant's parent on the same instances of that bucket with its paired 95% CI (older records without per-slice comparisons show the unpaired difference).`),
    table({ id: roleBlockId('rare-words-table', index, suiteId), columns: ['variant', ...buckets.map((b) => (tag === 'freq_bucket' ? `count ${b}` : `${tag}=${b}`))], rows }),
  ];
  const scale = isShare(unit) ? 100 : 1;
  const chart = lineChart(
    roleBlockId('chart-rare-words', index, suiteId),
    `${metric} by ${tag === 'freq_bucket' ? 'frequency bucket' : tag}${index === 0 ? '' : ` (${suiteId})`}`,
    buckets,
    variants.map((v) => {
      const slices = buckets.map((bucket) => breakdown(record, v.id, suiteId, metric, tag)?.slices.find((s) => s.slice === bucket));
      return { label: v.id, values: slices.map((s) => (s?.value == null ? null : s.value * scale)), ci: slices.map((s) => summaryErrorBar(s, scale)) };
    }),
    `${metric}${isShare(unit) ? ' (%)' : ` (${unit})`}`,
    tag === 'freq_bucket' ? 'training count bucket' : tag,
  );
  blocks.push({ kind: 'chart', chartId: chart.id, title: chart.title });
  return { blocks, charts: [chart] };
}

/**
 * Fairness per slice of each suite with role fairness or fairness-pairs, by its role
 * slice (the groups compared): per-slice values, worst slice, max gap and HELM's worst case.
 */
export function fairnessSection({ record, instances }: ReportInput): BuiltSection {
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const variants = orderedVariants(record);
  const suites = suitesWithRole(record, 'fairness', 'fairness-pairs');
  if (suites.length === 0) blocks.push(para("This run has no suite with role 'fairness' or 'fairness-pairs' (suite.json \"role\").", 'warn'));
  for (const suite of suites) {
    const metric = primaryMetric(record, suite.id)!;
    const views = variants.map((v) => metricOf(cellOf(record, v.id, suite.id), metric));
    const tag = roleSliceOf(record, suite, metric);
    if (!tag || !views.some((m) => m?.slices.some((s) => s.tag === tag))) {
      const why = tag ? `no '${tag}' slices recorded` : 'no slices recorded: list the tag naming the groups in "slices" (or "roleSlice")';
      blocks.push(para(`${suite.id}: ${why}.`, 'warn'));
      continue;
    }
    const unit = views.find(Boolean)?.unit ?? '';
    const sliceNames = [...new Set(views.flatMap((m) => m?.slices.find((s) => s.tag === tag)?.slices.map((s) => s.slice) ?? []))].sort();
    const higherIsBetter = views.find(Boolean)?.higherIsBetter !== false;
    const lines = linesByVariant(instances, suite.id);
    const gaps = variants.map((v, i) => sliceGapInterval(lines.get(v.id) ?? [], metric, views[i]?.slices.find((s) => s.tag === tag), higherIsBetter));
    const rows = variants.map((v, i) => {
      const m = views[i];
      const b = m?.slices.find((s) => s.tag === tag);
      const gap = gaps[i];
      if (cellOf(record, v.id, suite.id)?.state === 'errored') return [v.id, ...sliceNames.map(() => 'errored'), 'errored', 'n/a', 'n/a'];
      return [
        v.id,
        ...sliceNames.map((name) => {
          const s = b?.slices.find((x) => x.slice === name);
          const paired = sliceComparisonOf(cellOf(record, v.id, suite.id), metric, tag, name);
          return numCell(`${formatSummary(s, unit)}${paired ? ` (Δ ${formatDelta(paired.delta, unit, paired.power)} vs ${parentOf(record, v.id)})` : ''}`, s?.value);
        }),
        b?.worst ? `${b.worst.slice}: ${formatSummary(b.worst, unit)}` : 'n/a',
        numCell(b?.maxGap == null ? 'n/a' : `${formatDifference(b.maxGap, unit).replace(/^\+/u, '')}${gap ? ` [${formatDifference(gap.low, unit)}, ${formatDifference(gap.high, unit)}] (${gap.best} − ${gap.worst})` : ''}`, b?.maxGap),
        numCell(m?.worstCase ? formatSummary(m.worstCase, unit) : 'n/a', m?.worstCase?.value),
      ];
    });
    const direction = higherIsBetter ? 'higher is better' : 'lower is better';
    blocks.push(para(`${suite.id}: ${metric} per ${tag} (${direction}), with Δ vs the variant's parent on the same instances of each slice (paired 95% CI); worst slice, the gap between best and worst slice (95% CI: cluster bootstrap over the instances, the two slices held fixed), and the worst case over each item's counterfactual variants (HELM).`));
    blocks.push(table({ id: `fairness-${suite.id}`, columns: ['variant', ...sliceNames.map((s) => `${tag}=${s}`), 'worst slice', 'max gap', 'worst case (HELM)'], rows }));
    const built = fairnessCharts({ suiteId: suite.id, metric, unit, tag, sliceNames, variants: variants.map((v) => v.id), views, gaps });
    charts.push(...built);
    for (const chart of built) blocks.push({ kind: 'chart', chartId: chart.id, title: chart.title });
  }
  return { section: { id: 'fairness', title: 'Fairness per slice', blocks }, charts };
}
