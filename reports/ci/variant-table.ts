import type { RunRecord } from '../../core/run-record.js';
import { escapeMarkdown } from '../escape.js';
import { formatBytes, formatDifference, formatMde, formatMs, isShare } from '../format.js';
import { cellOf, comparisonOf, measurementOf, metricOf, orderedVariants, parentOf, primaryMetric, variantSetting } from '../record-view.js';

/** `−5.2 pp (−8.1, −2.3) MDE 7.9`: the paired Δ, its 95% CI and minimum detectable effect, the unit said once, short enough for a table cell. */
function deltaCell(record: RunRecord, variantId: string, suiteId: string, metric: string): string {
  const cell = cellOf(record, variantId, suiteId);
  if (!cell) return '—';
  if (cell.state === 'errored') return 'errored';
  const cmp = comparisonOf(cell, metric);
  if (!cmp) return '—';
  const unit = metricOf(cell, metric)?.unit ?? '';
  const d = cmp.delta;
  if (!Number.isFinite(d.delta)) return 'n/a';
  const suffix = isShare(unit) ? ' pp' : ` ${unit}`;
  const bound = (x: number): string => formatDifference(x, unit).replace(suffix, '');
  const mde = cmp.power ? ` MDE ${formatMde(cmp.power, unit).replace(suffix, '')}` : '';
  return `${formatDifference(d.delta, unit)} (${bound(d.low)}, ${bound(d.high)})${mde}`;
}

/** Decode p50 and tokens/s, or why there is none. */
function speedCells(record: RunRecord, variantId: string): [string, string] {
  const m = measurementOf(record, variantId);
  if (!m) return ['—', '—'];
  if (m.state === 'errored') return ['errored', 'errored'];
  if (m.state === 'not-applicable') return ['n/a (simulated)', 'n/a'];
  // One mark per row: both figures come from the same (replayed) measurement.
  return [`${formatMs(m.decode.p50Ms)}${m.replayed ? ' (replayed)' : ''}`, m.decode.tokensPerS.toFixed(1)];
}

/** One Markdown table row; every cell through {@link escapeMarkdown}, so a `|` in an id stays inside its cell. */
export function markdownRow(cells: readonly string[]): string {
  return `| ${cells.map(escapeMarkdown).join(' | ')} |`;
}

/**
 * The variants as a Markdown table: setting, size, what each is compared with, the paired
 * Δ with its 95% CI and minimum detectable effect (α 0.05, power 0.8) on each suite's primary metric, decode p50 and tokens/s where measured,
 * and how many gate rules failed.
 */
export function variantTableLines(record: RunRecord): string[] {
  const suites = record.suites.flatMap((s) => {
    const metric = primaryMetric(record, s.id);
    return metric === undefined ? [] : [{ id: s.id, metric }];
  });
  const columns = ['variant', 'setting', 'size', 'vs', ...suites.map((s) => `Δ ${s.id} ${s.metric} (95% CI) MDE`), 'decode p50', 'tok/s', 'failed rules'];
  const rows = orderedVariants(record).map((v) => {
    const failed = record.gate ? String(record.gate.rules.filter((r) => r.variantId === v.id && r.verdict === 'fail').length) : '—';
    return [v.id, variantSetting(v), formatBytes(v.sizeBytes), parentOf(record, v.id) ?? '—', ...suites.map((s) => deltaCell(record, v.id, s.id, s.metric)), ...speedCells(record, v.id), failed];
  });
  return [markdownRow(columns), `|${columns.map(() => '---').join('|')}|`, ...rows.map(markdownRow)];
}
