import { pairingLine, ranSuite } from '../../core/pairing.js';
import type { RunRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block, type TableCell } from '../document.js';
import { formatDelta, isShare } from '../format.js';
import { cellOf, comparisonOf, metricOf, orderedVariants, parentOf, primaryMetric, variantSetting } from '../record-view.js';
import type { BuiltSection, ReportInput } from './built.js';

/**
 * Background of a Δ cell: green when the variant is better, red when worse, full
 * colour at 10 points (shares) or 10% of the baseline (other metrics).
 */
export function deltaTone(delta: number, baseline: number, higherIsBetter: boolean, share: boolean): string {
  if (!Number.isFinite(delta)) return '#eeeeee';
  const scale = share ? 0.1 : Math.max(1e-9, 0.1 * Math.abs(baseline));
  const t = Math.max(-1, Math.min(1, ((higherIsBetter ? 1 : -1) * delta) / scale));
  const lightness = Math.round(97 - 40 * Math.abs(t));
  return `hsl(${t < 0 ? 0 : 120}, 65%, ${lightness}%)`;
}

/**
 * One table per model family × suite: rows method (execution form), columns setting
 * (bits, sparsity), cells Δ vs the variant's own parent with CI. Two models' variants
 * never share a cell: each family is compared within itself (core/pairing.ts).
 */
export function heatmapSection({ record }: ReportInput): BuiltSection {
  const blocks: Block[] = [
    para(`Δ of each suite's primary metric on the same instances, with the paired bootstrap 95% CI, n and the minimum detectable effect (MDE: the smallest |Δ| the suite detects at α = 0.05 with power 0.8; docs/power.md): ${pairingLine(record)}. One table per model family. Green: better; red: worse; ▼/▲: the CI excludes 0.`),
  ];
  const compared = orderedVariants(record).filter((v) => parentOf(record, v.id) !== undefined);
  const families = [...new Set(compared.map((v) => v.model))];
  families.forEach((family, index) => {
    const variants = compared.filter((v) => v.model === family);
    const against = [...new Set(variants.map((v) => `${v.id === family ? v.id : `${family}/*`} vs ${parentOf(record, v.id)}`))].join(', ');
    if (families.length > 1) blocks.push(para(`Family ${family}: ${against}.`));
    const settings = [...new Set(variants.map(variantSetting))];
    const rowKeys = [...new Set(variants.map(rowKey))];
    for (const suite of record.suites.filter((s) => variants.some((v) => ranSuite(record, v.id, s.id)))) {
      const metric = primaryMetric(record, suite.id);
      if (!metric) continue;
      const rows = rowKeys.map((key) => [
        key,
        ...settings.map((setting) => heatCell(record, variants.filter((v) => rowKey(v) === key && variantSetting(v) === setting).map((v) => v.id), suite.id, metric)),
      ]);
      const id = index === 0 ? `heatmap-${suite.id}` : `heatmap-${suite.id}-${family}`;
      const caption = families.length > 1 ? `${family}: ${suite.id}: Δ ${metric} (${against})` : `${suite.id}: Δ ${metric}`;
      blocks.push(table({ id, caption, columns: ['method (form)', ...settings], rows }));
    }
  });
  if (compared.length === 0) blocks.push(para('Every variant stands on its own: nothing to compare.', 'warn'));
  return { section: { id: 'heatmap', title: 'Method × bit-width: Δ vs parent', blocks }, charts: [] };
}

function rowKey(v: { method: string; executionForm: string }): string {
  return `${v.method} (${v.executionForm})`;
}

function heatCell(record: RunRecord, variantIds: readonly string[], suiteId: string, metric: string): TableCell {
  if (variantIds.length === 0) return { text: '—' };
  const parts: string[] = [];
  let first: { sort: number; tone: string } | undefined;
  for (const id of variantIds) {
    const cell = cellOf(record, id, suiteId);
    if (!cell) {
      parts.push(`${id}: not run`);
      continue;
    }
    if (cell.state === 'errored') {
      parts.push(`${id}: errored (${cell.error})`);
      first ??= { sort: Number.NEGATIVE_INFINITY, tone: '#dddddd' };
      continue;
    }
    const agg = metricOf(cell, metric);
    const cmp = comparisonOf(cell, metric);
    if (!agg || !cmp) {
      parts.push(`${id}: no comparison`);
      continue;
    }
    const share = isShare(agg.unit);
    const excludesZero = cmp.delta.low > 0 || cmp.delta.high < 0;
    const arrow = excludesZero ? (cmp.delta.delta < 0 ? ' ▼' : ' ▲') : '';
    parts.push(`${variantIds.length > 1 ? `${id}: ` : ''}${formatDelta(cmp.delta, agg.unit, cmp.power)}${arrow}`);
    first ??= { sort: cmp.delta.delta, tone: deltaTone(cmp.delta.delta, cmp.delta.baselineMean, agg.higherIsBetter, share) };
  }
  return numCell(parts.join('; '), first?.sort, first?.tone);
}
