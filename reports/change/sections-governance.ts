import { list, para, table, type Section } from '../document.js';
import { formatBytes, formatDelta, formatDifference } from '../format.js';
import { cellOf, comparisonOf, metricOf } from '../record-view.js';
import { knowledgePairs, roleSliceOf, suitesWithRole } from '../roles.js';
import { perplexityVerdicts } from '../sections/perplexity.js';
import type { ChangeContext } from './context.js';

/** A fairness gap that grows by more than this (points, or the metric's unit) is listed as a risk. */
export const GAP_WIDENING = 0.05;

/** Degradations whose 95% CI excludes zero, in words. */
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
  const risks = significantDegradations(ctx).map((d) => `degraded beyond noise: ${d}`);
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
  const blocks = risks.length > 0 ? [list(risks)] : [para('No degradation beyond run-to-run noise (every 95% CI of Δ includes 0) and no widened fairness gap at the sample sizes in §4.', 'ok')];
  return { id: 'risks', title: '7. Risks added or changed (Art. 9)', blocks };
}

/** §9 instructions-for-use deltas (Art. 13). */
export function instructionsSection(ctx: ChangeContext): Section {
  const { record, variant, baseline } = ctx;
  const items: string[] = [];
  if (variant.executionForm === 'packed') items.push(`runtime: needs onnxruntime with the operators the packed form uses (method ${variant.method}; tested with onnxruntime ${record.hardware.onnxruntime}, ${record.hardware.executionProvider})`);
  if (variant.executionForm === 'simulated') items.push('this variant is a simulation (dequantized weights): deploy only its packed twin, after measuring it');
  if (baseline) items.push(`size on disk: ${formatBytes(variant.sizeBytes)} instead of ${formatBytes(baseline.sizeBytes)}`);
  for (const d of significantDegradations(ctx)) items.push(`known limitation: ${d}; do not rely on this capability without re-testing`);
  for (const pair of knowledgePairs(record)) {
    if (!pair.closed || !pair.open) continue;
    const closed = comparisonOf(cellOf(record, variant.id, pair.closed.id), pair.closed.metrics[0])?.delta;
    const open = comparisonOf(cellOf(record, variant.id, pair.open.id), pair.open.metrics[0])?.delta;
    if (closed && open && closed.high < 0 && open.low <= 0 && open.high >= 0) {
      items.push(`factual recall dropped (${pair.closed.id}) while open-book accuracy held (${pair.open.id}): supply the facts in the context (retrieval) for knowledge questions`);
    }
  }
  if (items.length === 0) items.push('no change to the instructions for use follows from this run');
  return { id: 'instructions', title: '9. Instructions-for-use deltas (Art. 13)', blocks: [list(items)] };
}

/** §10 monitoring: the nightly job and its gate (Art. 72). */
export function monitoringSection({ record, variant }: ChangeContext): Section {
  const rules = record.gate?.rules.filter((r) => r.variantId === variant.id) ?? [];
  const blocks = [
    para(`Post-market monitoring: the nightly job re-runs this matrix ('compbench run' with the same configuration), appends it to the history store ('compbench history --add'), and gates it ('compbench gate'${record.gate ? ` with policy ${record.gate.policySource}, sha256 ${record.gate.policySha256}` : ''}); a failed gate blocks the deployment and is investigated.`),
    rules.length > 0
      ? table({ id: 'monitoring-rules', columns: ['rule', 'verdict', 'value', 'bound', 'reason'], rows: rules.map((r) => [r.rule, r.verdict, r.value === null ? 'missing (fail-closed)' : String(r.value), String(r.bound), r.reason]) })
      : para('No gate rule covered this variant in this run: declare one before deployment.', 'warn'),
  ];
  return { id: 'monitoring', title: '10. Monitoring: nightly job and gate (Art. 72)', blocks };
}

/** §11 sign-off placeholders and retention. */
export function signOffSection(): Section {
  return {
    id: 'sign-off',
    title: '11. Sign-off and retention',
    blocks: [
      table({ id: 'sign-off', columns: ['role', 'name', 'date', 'signature'], rows: ['technical owner', 'quality / compliance', 'approver'].map((role) => [role, '', '', '']) }),
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
