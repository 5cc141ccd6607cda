import type { GateRuleResult, RunRecord, VariantRecord } from '../../core/run-record.js';
import { formatBytes, formatDelta, formatMde, formatPowerBasis, formatSummary, isShare } from '../format.js';
import { cellOf, comparisonOf, measurementOf, metricOf, orderedVariants, parentOf, primaryMetric } from '../record-view.js';
import { savesOf, type SavesFigures } from './saves.js';
import { parentSpreadOf, spreadSentence } from '../template-view.js';
import { ciSide, compactDelta, toneOf } from './scale.js';

/** A suite column of the summary heatmap. */
export interface SummarySuite {
  readonly id: string;
  /** A few characters for the column header (the full id goes in its title). */
  readonly short: string;
  readonly metric: string;
}

/** One cell of the summary heatmap: raw text (the renderer escapes it), its tooltip and marks. */
export interface SummaryCell {
  readonly text: string;
  readonly title: string;
  /** Background (generated, never from data). */
  readonly tone?: string;
  /** `better`/`worse`: the paired 95% CI excludes 0 on that side. */
  readonly mark?: 'better' | 'worse';
  /** Gate rules on this variant × suite that failed. */
  readonly failedRules: readonly string[];
  /** `abs`: the value of a model compared with nothing; `off`: no figure. */
  readonly kind: 'delta' | 'abs' | 'off';
}

/** A measured figure (size, decode latency, peak memory) or why there is none. */
export interface Figure {
  readonly text: string;
  readonly value?: number;
  readonly title?: string;
}

/** One variant's row. */
export interface SummaryRow {
  readonly variantId: string;
  /** The id without its family's prefix (`rtn-w4-g32` under family `teacher`). */
  readonly shortId: string;
  readonly parent?: string;
  readonly cells: readonly SummaryCell[];
  /** Every failed gate rule of the variant, suite cells or not. */
  readonly failedRules: number;
  readonly size: Figure;
  readonly latency: Figure;
  readonly memory: Figure;
  /** Disk and memory saved and decode speedup against the parent (absent: the record has no savings for it). */
  readonly saves?: SavesFigures;
}

/** Rows of one model family, compared within itself (core/pairing.ts). */
export interface SummaryFamily {
  readonly model: string;
  readonly rows: readonly SummaryRow[];
}

/** The variant × suite heatmap of the summary. */
export interface SummaryHeatmap {
  readonly suites: readonly SummarySuite[];
  readonly families: readonly SummaryFamily[];
}

/**
 * Short, distinct column headers: the first letters of each `-`/`_`-separated part
 * (`knowledge-closed` → `kno-clo`), at most 9 characters, a number appended on a clash.
 */
export function abbreviateSuites(ids: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const parts = id.split(/[-_.\s]+/u).filter(Boolean);
    const each = parts.length <= 1 ? 7 : parts.length === 2 ? 4 : 2;
    let short = parts.map((p) => p.slice(0, each)).join('-').slice(0, 9) || id.slice(0, 9);
    const count = seen.get(short) ?? 0;
    seen.set(short, count + 1);
    if (count > 0) short = `${short.slice(0, 8)}${count + 1}`;
    return short;
  });
}

function figures(record: RunRecord, v: VariantRecord): Pick<SummaryRow, 'size' | 'latency' | 'memory'> {
  const m = measurementOf(record, v.id);
  if (v.executionForm === 'simulated' || m?.state === 'not-applicable') {
    const title = 'simulated (dequantized fp32 weights): no real size, latency or memory';
    return { size: { text: 'simulated', title }, latency: { text: 'simulated', title }, memory: { text: 'simulated', title } };
  }
  const size = { text: formatBytes(v.sizeBytes), value: v.sizeBytes };
  if (!m) return { size, latency: { text: '—', title: 'not measured' }, memory: { text: '—', title: 'not measured' } };
  if (m.state === 'errored') return { size, latency: { text: 'error', title: m.error }, memory: { text: 'error', title: m.error } };
  const replayed = m.replayed ? ' (replayed from the measurement cache)' : '';
  return {
    size: { text: formatBytes(m.sizeBytes), value: m.sizeBytes },
    latency: { text: `${m.decode.p50Ms.toFixed(m.decode.p50Ms >= 10 ? 1 : 2)} ms`, value: m.decode.p50Ms, title: `decode p50 per token${replayed}` },
    memory: { text: formatBytes(m.peakRssBytes), value: m.peakRssBytes, title: `peak RSS of a process that only ran this variant${replayed}` },
  };
}

function summaryCell(record: RunRecord, v: VariantRecord, suite: SummarySuite, failed: readonly GateRuleResult[]): SummaryCell {
  const failedRules = failed.filter((r) => r.suiteId === suite.id).map((r) => r.rule);
  const cell = cellOf(record, v.id, suite.id);
  const failNote = failedRules.length > 0 ? `; failed: ${failedRules.join(', ')}` : '';
  if (!cell) return { text: '—', title: `${suite.id}: not run${failNote}`, failedRules, kind: 'off' };
  if (cell.state === 'errored') return { text: 'err', title: `${suite.id}: errored: ${cell.error}${failNote}`, tone: '#dddddd', failedRules, kind: 'off' };
  const agg = metricOf(cell, suite.metric);
  const parent = parentOf(record, v.id);
  if (parent === undefined || !agg) {
    const s = agg?.overall;
    const text = s?.value == null ? '—' : isShare(agg!.unit) ? `${(s.value * 100).toFixed(0)}%` : s.value.toPrecision(3);
    return { text, title: `${suite.id} ${suite.metric}: ${formatSummary(s, agg?.unit ?? '')} (compared with nothing)${failNote}`, failedRules, kind: 'abs' };
  }
  const cmp = comparisonOf(cell, suite.metric);
  if (!cmp) return { text: '—', title: `${suite.id}: no comparison with ${parent}${failNote}`, failedRules, kind: 'off' };
  const side = ciSide(cmp.delta, agg.higherIsBetter);
  const power = cmp.power ? `; MDE ${formatMde(cmp.power, agg.unit)} (${formatPowerBasis(cmp.power)})` : '';
  const floor = parentSpreadOf(record, v.id, suite.id, suite.metric);
  const spreadNote = floor ? `; ${parent} across prompt templates: ${spreadSentence(floor.spread, agg.unit)}` : '';
  return {
    text: compactDelta(cmp.delta, agg.unit),
    title: `${suite.id}: Δ ${suite.metric} ${formatDelta(cmp.delta, agg.unit)} vs ${parent}${side === 'either' ? '' : ` (CI excludes 0: ${side})`}${power}${spreadNote}${failNote}`,
    tone: toneOf(cmp.delta, agg.unit, agg.higherIsBetter),
    ...(side === 'either' ? {} : { mark: side }),
    failedRules,
    kind: 'delta',
  };
}

function optionalSaves(record: RunRecord, variantId: string): { saves?: SavesFigures } {
  const saves = savesOf(record, variantId);
  return saves ? { saves } : {};
}

/** The summary heatmap: every variant (grouped by family) × every suite's primary metric, with size, latency and memory. */
export function summaryHeatmap(record: RunRecord): SummaryHeatmap {
  const withMetric = record.suites.flatMap((s) => {
    const metric = primaryMetric(record, s.id);
    return metric === undefined ? [] : [{ id: s.id, metric }];
  });
  const shorts = abbreviateSuites(withMetric.map((s) => s.id));
  const suites = withMetric.map((s, i) => ({ ...s, short: shorts[i] }));
  const failing = record.gate?.rules.filter((r) => r.verdict === 'fail') ?? [];
  const families: { model: string; rows: SummaryRow[] }[] = [];
  for (const v of orderedVariants(record)) {
    let family = families.find((f) => f.model === v.model);
    if (!family) families.push((family = { model: v.model, rows: [] }));
    const failed = failing.filter((r) => r.variantId === v.id);
    const parent = parentOf(record, v.id);
    family.rows.push({
      variantId: v.id,
      shortId: v.id.startsWith(`${v.model}/`) ? v.id.slice(v.model.length + 1) : v.id,
      ...(parent === undefined ? {} : { parent }),
      cells: suites.map((s) => summaryCell(record, v, s, failed)),
      failedRules: failed.length,
      ...figures(record, v),
      ...optionalSaves(record, v.id),
    });
  }
  return { suites, families };
}
