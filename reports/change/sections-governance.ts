import type { VariantRecord } from '../../core/run-record.js';
import { list, para, table, type Block, type Section } from '../document.js';
import { formatBytes, formatDelta, formatDifference, formatNumber } from '../format.js';
import type { HistoryResult } from '../sections/history.js';
import { cellOf, comparisonOf, metricOf } from '../record-view.js';
import { knowledgePairs, roleSliceOf, suitesWithRole } from '../roles.js';
import { perplexityVerdicts } from '../sections/perplexity.js';
import type { ChangeContext } from './context.js';
import { declaredOf, NOT_PROVIDED } from './declared.js';
import { gateLine } from './gate-verdict.js';

/** A fairness gap that grows by more than this (points, or the metric's unit) is listed as a risk. */
export const GAP_WIDENING = 0.05;

/** Degradations whose 95% sampling interval of Δ lies entirely on the worse side of zero, in words. */
export function significantDegradations({ record, variant }: Pick<ChangeContext, 'record' | 'variant'>): string[] {
  const out: string[] = [];
  for (const suite of record.suites) {
    const cell = cellOf(record, variant.id, suite.id);
    for (const metric of suite.metrics) {
      const m = metricOf(cell, metric);
      const d = comparisonOf(cell, metric)?.delta;
      if (!m || !d || !Number.isFinite(d.low)) continue;
      const worse = m.higherIsBetter ? d.high < 0 : d.low > 0;
      if (worse) out.push(`${suite.id} ${metric}: ${formatDelta(d, m.unit)}`);
    }
  }
  return out;
}

/** §7 risks added or changed (Art. 9), derived from the statistics. */
export function risksSection(ctx: ChangeContext): Section {
  const { record, variant } = ctx;
  const risks = significantDegradations(ctx).map((d) => `degraded (the 95% sampling interval of Δ excludes 0): ${d}`);
  for (const ppl of perplexityVerdicts(record).filter((v) => v.variantId === variant.id && v.hidesLoss)) {
    risks.push(`perplexity hides this loss: ${ppl.perplexitySuite} moved ${(ppl.pplRelative! * 100).toFixed(1)}% while ${ppl.knowledgeSuite} fell ${(-ppl.knowledgeDelta! * 100).toFixed(1)} points`);
  }
  for (const suite of suitesWithRole(record, 'fairness', 'fairness-pairs')) {
    const metric = suite.metrics[0];
    const tag = roleSliceOf(record, suite, metric);
    const gap = (id: string): number | null => metricOf(cellOf(record, id, suite.id), metric)?.slices.find((s) => s.tag === tag)?.maxGap ?? null;
    const before = gap(ctx.baseline?.id ?? record.baseline);
    const after = gap(variant.id);
    if (before !== null && after !== null && after - before > GAP_WIDENING) risks.push(`${suite.id}: the gap between slices widened from ${formatDifference(before, '')} to ${formatDifference(after, '')}`);
  }
  for (const c of record.cells.filter((x) => x.variantId === variant.id && x.state === 'errored')) risks.push(`${c.suiteId}: cell errored, its risk is unknown (${c.state === 'errored' ? c.error : ''})`);
  if (variant.executionForm === 'simulated') risks.push('simulated execution: speed, memory and energy of a deployed form were not measured');
  if (ctx.screening.state !== 'within') {
    for (const f of ctx.screening.findings.filter((x) => !x.ok && x.text.startsWith('the gate fails'))) risks.push(f.text);
  }
  const blocks = risks.length > 0
    ? [list(risks)]
    : [para('No degradation that the test items resolve (every 95% sampling interval of Δ includes 0), no widened fairness gap and no failed gate rule at the sample sizes in §4. Sampling intervals describe the choice of test items; they say nothing about run-to-run variation, which §10 tracks.', 'ok')];
  return { id: 'risks', title: '7. Risks added or changed (Art. 9)', blocks };
}

/** §9 instructions-for-use deltas (Art. 13). */
export function instructionsSection(ctx: ChangeContext): Section {
  const { record, variant, baseline } = ctx;
  const items: string[] = [];
  if (variant.executionForm === 'packed') items.push(`runtime: needs onnxruntime with the operators the packed form uses (method ${variant.method}; tested with onnxruntime ${record.hardware.onnxruntime}, ${record.hardware.executionProvider})`);
  if (variant.executionForm === 'simulated') items.push('this variant is a simulation (dequantized weights): deploy only its packed twin, after measuring it');
  if (baseline) items.push(sizeLine(variant, baseline));
  items.push(`human oversight (Art. 14): ${declaredOf(record).humanOversight}`);
  for (const d of significantDegradations(ctx)) items.push(`known limitation: ${d}; do not rely on this capability without re-testing`);
  for (const pair of knowledgePairs(record)) {
    if (!pair.closed || !pair.open) continue;
    const closed = comparisonOf(cellOf(record, variant.id, pair.closed.id), pair.closed.metrics[0])?.delta;
    const open = comparisonOf(cellOf(record, variant.id, pair.open.id), pair.open.metrics[0])?.delta;
    if (closed && open && closed.high < 0 && open.low <= 0 && open.high >= 0) {
      items.push(`factual recall dropped (${pair.closed.id}) while open-book accuracy held (${pair.open.id}): supply the facts in the context (retrieval) for knowledge questions`);
    }
  }
  return { id: 'instructions', title: '9. Instructions-for-use deltas (Art. 13)', blocks: [list(items)] };
}

/** §10 monitoring: the nightly job, its gate, and the history store's recent nights when one was read (Art. 72; Annex IV 9). */
export function monitoringSection({ record, variant, gate, history }: ChangeContext): Section {
  const rules = gate.verdict.rules.filter((r) => r.variantId === variant.id);
  const blocks: Block[] = [
    para(`Post-market monitoring: the nightly job re-runs this matrix ('compbench run' with the same configuration), appends it to the history store ('compbench history --add'), and gates it (${gateLine(gate)}); a failed gate blocks the deployment and is investigated.`),
    rules.length > 0
      ? table({ id: 'monitoring-rules', columns: ['rule', 'verdict', 'value', 'bound', 'reason'], rows: rules.map((r) => [r.rule, r.verdict, r.value === null ? 'missing (fail-closed)' : String(r.value), String(r.bound), r.reason]) })
      : para('No gate rule covered this variant in this run: declare one before deployment.', 'warn'),
    ...historyBlocks(history, variant.id),
  ];
  return { id: 'monitoring', title: '10. Monitoring: nightly job and gate (Art. 72; Annex IV 9)', blocks };
}

/** Nights shown in §10. */
export const MONITORING_NIGHTS = 7;

function historyBlocks(history: HistoryResult | undefined, variantId: string): Block[] {
  if (!history || history.state === 'absent') {
    return [para(`No history store was read${history ? ` (${history.reason})` : ''}: the record cannot show earlier nights. Give one with 'compbench report --history-db FILE' (default: history.sqlite beside the run folder).`, 'warn')];
  }
  const { trends } = history;
  const from = Math.max(0, trends.runs.length - MONITORING_NIGHTS);
  const runs = trends.runs.slice(from);
  // Series keys are `<variant id>/<suite>/<metric>`; variant ids may contain '/', so match the exact remainder.
  const own = trends.series.filter((s) => s.key.startsWith(`${variantId}/`) && s.key.slice(variantId.length + 1).split('/').length === 2);
  return [
    para(`The last ${runs.length} runs in the history store ${trends.source}, oldest first, with the gate verdict of each and this variant's main metrics:`),
    table({
      id: 'monitoring-history',
      columns: ['metric', ...runs.map((r) => `${r.runId} (${r.createdAt.slice(0, 10)}, gate ${r.verdict ?? 'not recorded'})`)],
      rows: own.length > 0
        ? own.map((s) => [s.key.slice(variantId.length + 1), ...s.values.slice(from).map((v) => (v === null ? { text: 'n/a' } : { text: formatNumber(v), sort: v }))])
        : [['(this variant is not in the store)', ...runs.map(() => '')]],
    }),
  ];
}

/** §11 sign-off and retention: the sign-offs the configuration provides, else 'not provided'. */
export function signOffSection({ record }: ChangeContext): Section {
  const { signOff } = declaredOf(record);
  const rows = signOff.length > 0
    ? signOff.map((s) => [s.role, s.name, s.date, ''])
    : [['technical owner, quality / compliance, approver', `${NOT_PROVIDED} (config.changeRecord.signOff)`, NOT_PROVIDED, '']];
  return {
    id: 'sign-off',
    title: '11. Sign-off and retention (Art. 18; Annex IV 2(g))',
    blocks: [
      table({ id: 'sign-off', columns: ['role', 'name', 'date', 'signature'], rows }),
      para('Retention: keep this record, run.json, instances.jsonl and the change log for 10 years after the system is placed on the market (Art. 18). They are generated, not hand-edited: regenerate with compbench report RUN_DIR.'),
    ],
  };
}

/** §12 the append-only change log across runs of the same model (Annex IV 6). */
export function changeLogSection({ log, logFile }: ChangeContext): Section {
  return {
    id: 'change-log',
    title: '12. Change log (append-only, Annex IV 6)',
    blocks: [
      para(`${log.length} entries in ${logFile}, oldest first. Entries are appended per run and variant, never rewritten.`),
      table({
        id: 'change-log',
        columns: ['logged', 'run', 'variant', 'method', 'params', 'model sha256', 'run.json sha256', 'screening', 'gate'],
        rows: log.map((e) => [e.loggedAt, e.runId, e.variantId, e.method, JSON.stringify(e.params), e.modelSha256, e.runJsonSha256, e.screening, e.gate]),
      }),
    ],
  };
}

/** Size on disk beside the base's; a simulated variant keeps the base's size and says why. */
export function sizeLine(variant: VariantRecord, baseline: VariantRecord): string {
  if (variant.sizeBytes === baseline.sizeBytes) {
    return `size on disk: unchanged at ${formatBytes(variant.sizeBytes)}${variant.executionForm === 'simulated' ? ' (simulated: the weights are stored dequantized in fp32; only a packed form is smaller)' : ''}`;
  }
  return `size on disk: ${formatBytes(variant.sizeBytes)}, was ${formatBytes(baseline.sizeBytes)} (${((variant.sizeBytes / baseline.sizeBytes) * 100).toFixed(1)}% of the base)`;
}
