import type { MeasurementRecord, RunRecord, SuiteRecord } from '../../core/run-record.js';
import { roleOf } from '../../core/suite-roles.js';
import { paretoChart, type ChartSpec, type ErrorBar, type LabelledPoint } from '../charts.js';
import { para, type Block } from '../document.js';
import { formatValue } from '../format.js';
import { cellOf, measurementOf, metricOf, orderedVariants, primaryMetric } from '../record-view.js';
import type { BuiltSection, ReportInput } from './built.js';

/**
 * The accuracy the Pareto charts plot: the primary metric of the first suite with role
 * knowledge-closed, else of the first suite whose primary metric is a higher-is-better share.
 */
export function headlineAccuracy(record: RunRecord): { suiteId: string; metric: string } | undefined {
  const closed = (s: SuiteRecord): number => Number(roleOf(s) === 'knowledge-closed');
  const candidates = [...record.suites].sort((a, b) => closed(b) - closed(a));
  for (const suite of candidates) {
    const metric = primaryMetric(record, suite.id);
    if (!metric) continue;
    const view = record.variants.map((v) => metricOf(cellOf(record, v.id, suite.id), metric)).find(Boolean);
    if (view && view.unit === '' && view.higherIsBetter) return { suiteId: suite.id, metric };
  }
  return undefined;
}

type Measured = Extract<MeasurementRecord, { state: 'measured' }>;

const AXES: readonly { id: string; title: string; x: string; read: (m: Measured) => number }[] = [
  { id: 'pareto-size', title: 'Accuracy vs size on disk', x: 'size (MB)', read: (m) => m.sizeBytes / 1e6 },
  { id: 'pareto-latency', title: 'Accuracy vs decode latency', x: 'decode p50 (ms/token)', read: (m) => m.decode.p50Ms },
  { id: 'pareto-energy', title: 'Accuracy vs energy', x: 'energy (J/token)', read: (m) => m.energy.joulesPerToken },
];

/** Pareto charts of accuracy against size, decode latency and energy, for measured variants only. */
export function paretoSection({ record }: ReportInput): BuiltSection {
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const headline = headlineAccuracy(record);
  if (!headline) {
    blocks.push(para('No suite with an accuracy metric in this run: no Pareto chart.', 'warn'));
    return { section: { id: 'pareto', title: 'Pareto: accuracy vs size, latency, energy', blocks }, charts };
  }
  const measured: { label: string; m: Measured; y: number; yCi: ErrorBar }[] = [];
  const excluded: string[] = [];
  for (const v of orderedVariants(record)) {
    const m = measurementOf(record, v.id);
    const overall = metricOf(cellOf(record, v.id, headline.suiteId), headline.metric)?.overall;
    const acc = overall?.value ?? null;
    if (v.executionForm === 'simulated' || m?.state === 'not-applicable') excluded.push(`${v.id}: n/a (simulated)`);
    else if (!m) excluded.push(`${v.id}: not measured`);
    else if (m.state === 'errored') excluded.push(`${v.id}: measurement errored (${m.error})`);
    else if (acc === null) excluded.push(`${v.id}: no ${headline.suiteId} accuracy`);
    else measured.push({ label: v.id, m, y: acc * 100, yCi: overall?.low == null || overall.high == null ? null : [overall.low * 100, overall.high * 100] });
  }
  blocks.push(para(`y: ${headline.suiteId} ${headline.metric} (%). Only packed or reference variants measured in their own process are plotted; the dashed line joins the Pareto front (smaller x, higher accuracy); bars: 95% CI of the accuracy.`));
  if (measured.length === 0) {
    blocks.push(para('No variant has speed, memory or energy measurements: no Pareto chart.', 'warn'));
  } else {
    for (const axis of AXES) {
      const points: LabelledPoint[] = measured.map((p) => ({ label: p.label, x: axis.read(p.m), y: p.y, yCi: p.yCi }));
      const chart = paretoChart(axis.id, axis.title, axis.x, `${headline.suiteId} ${headline.metric} (%)`, points);
      charts.push(chart);
      blocks.push({ kind: 'chart', chartId: chart.id, title: chart.title });
    }
    const front = measured.map((p) => `${p.label}: ${formatValue(p.y / 100, '')}, ${(p.m.sizeBytes / 1e6).toFixed(2)} MB, ${p.m.decode.p50Ms.toFixed(2)} ms/token, ${p.m.energy.joulesPerToken.toPrecision(3)} J/token (${p.m.energy.provenance})`);
    blocks.push({ kind: 'list', items: front });
  }
  if (excluded.length > 0) blocks.push(para(`Not plotted: ${excluded.join('; ')}.`));
  return { section: { id: 'pareto', title: 'Pareto: accuracy vs size, latency, energy', blocks }, charts };
}
