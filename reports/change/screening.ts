import { suitesRunBy } from '../../core/pairing.js';
import type { GateVerdict, RunRecord, VariantRecord } from '../../core/run-record.js';
import { formatDelta, formatDifference, formatSummary, formatValue, isShare } from '../format.js';
import { cellOf, comparisonOf, metricOf, type MetricView } from '../record-view.js';
import { envelopeOf, RECOVERY_METHOD, type ChangeEnvelope, type EnvelopeDeclaration } from './envelope.js';

/** One screening check, in words; `ok: false` puts the variant outside the envelope. */
export interface Finding {
  readonly ok: boolean;
  readonly text: string;
}

/**
 * The screening result. `within` is only possible with a declared envelope, every
 * check passing and the gate passing the variant; with no envelope the record says the
 * modification must be assessed by hand (and still lists what fails).
 */
export type Screening =
  | { readonly state: 'no-envelope'; readonly findings: readonly Finding[] }
  | { readonly state: 'within' | 'outside'; readonly declaration: EnvelopeDeclaration; readonly findings: readonly Finding[] };

/**
 * Screens a variant against the declared envelope (Art. 3(23), 43(4)). Fail-closed:
 * anything that cannot be shown within (an errored or uncompared cell, a metric kind the
 * envelope does not bound, a gate rule that fails or no gate rule at all) puts it
 * outside. Every metric is screened in its own direction on the worse end of the
 * paired 95% sampling interval of Δ, and the hardest-hit slice of each tag on its
 * point difference.
 */
export function screenVariant(record: RunRecord, variant: VariantRecord, gate: GateVerdict | undefined): Screening {
  const findings = gateFindings(gate, variant);
  const declaration = envelopeOf(record);
  if (!declaration) return { state: 'no-envelope', findings };
  const { envelope } = declaration;
  if (declaration.ignored.length > 0) findings.push({ ok: false, text: `envelope fields not understood, so not screened: ${declaration.ignored.join(', ')}` });
  if (envelope.allowedMethods) findings.push(...methodFindings(envelope.allowedMethods, variant));
  const bits = (variant.params as { bits?: unknown }).bits;
  if (envelope.minBits !== undefined && typeof bits === 'number') {
    const ok = bits >= envelope.minBits;
    findings.push({ ok, text: `${bits} bits ${ok ? '≥' : '<'} the envelope's minimum of ${envelope.minBits} bits` });
  }
  findings.push(...metricFindings(record, variant, envelope));
  return { state: findings.every((f) => f.ok) ? 'within' : 'outside', declaration, findings };
}

function methodFindings(allowed: readonly string[], variant: VariantRecord): Finding[] {
  const list = allowed.join(', ');
  const ok = allowed.includes(variant.method);
  const findings = [{ ok, text: `method '${variant.method}' ${ok ? 'is' : 'is not'} among the allowed methods (${list})` }];
  if (variant.recoveredFrom !== undefined) {
    const qat = allowed.includes(RECOVERY_METHOD);
    findings.push({ ok: qat, text: `quantization-aware recovery ('${RECOVERY_METHOD}': ${variant.model} is ${variant.recoveredFrom} with retrained weights) ${qat ? 'is' : 'is not'} among the allowed methods (${list})` });
  }
  return findings;
}

function gateFindings(gate: GateVerdict | undefined, variant: VariantRecord): Finding[] {
  if (!gate) return [{ ok: false, text: 'no gate verdict: the variant was not gated (fail-closed)' }];
  const rules = gate.rules.filter((r) => r.variantId === variant.id);
  const failed = rules.filter((r) => r.verdict === 'fail');
  if (rules.length === 0) return [{ ok: false, text: `no rule of the gate policy (${gate.policySource}) covers this variant (fail-closed)` }];
  if (failed.length === 0) return [{ ok: true, text: `the gate (${gate.policySource}) passes this variant: ${rules.length} rule${rules.length === 1 ? '' : 's'}` }];
  return failed.map((r) => ({ ok: false, text: `the gate fails this variant: ${r.rule}${r.slice ? ` [${r.slice}]` : ''}: ${r.reason}` }));
}

function metricFindings(record: RunRecord, variant: VariantRecord, envelope: ChangeEnvelope): Finding[] {
  const findings: Finding[] = [];
  let screened = 0;
  // A suite the variant's model does not run (config models[].suites) is no missing result.
  for (const suite of suitesRunBy(record, variant.id)) {
    const cell = cellOf(record, variant.id, suite.id);
    if (!cell || cell.state === 'errored') {
      findings.push({ ok: false, text: `${suite.id}: ${cell ? 'errored' : 'not run'}, so its change cannot be screened (fail-closed)` });
      continue;
    }
    for (const metric of suite.metrics) {
      const m = metricOf(cell, metric);
      if (!m) continue;
      const bound = isShare(m.unit) ? envelope.maxAccuracyDrop : envelope.maxRelativeWorsening;
      const name = `${suite.id} ${metric} (${m.higherIsBetter ? 'higher' : 'lower'} is better)`;
      if (bound === undefined) {
        findings.push({ ok: false, text: `${name}: the envelope declares no ${isShare(m.unit) ? 'maxAccuracyDrop' : 'maxRelativeWorsening'}, so this metric cannot be shown within it (fail-closed)` });
        continue;
      }
      const d = comparisonOf(cell, metric)?.delta;
      if (!d || !Number.isFinite(d.delta) || !Number.isFinite(d.low) || !Number.isFinite(d.high)) {
        findings.push({ ok: false, text: `${name}: no comparison with the baseline (fail-closed)` });
        continue;
      }
      screened++;
      const worseEnd = m.higherIsBetter ? d.low : d.high;
      const worsening = (m.higherIsBetter ? -1 : 1) * worseEnd;
      const { exceeds, allowed } = judge(worsening, d.baselineMean, bound, m.unit);
      if (exceeds) findings.push({ ok: false, text: `${name}: Δ ${formatDelta(d, m.unit)}; its worse end ${formatDifference(worseEnd, m.unit)} exceeds the allowed ${allowed}` });
      findings.push(...sliceFindings(record, variant, suite.id, metric, m, envelope));
    }
  }
  if (screened > 0 && findings.every((f) => f.ok)) {
    findings.push({ ok: true, text: `all ${screened} metrics stay within the envelope on the worse end of their 95% sampling interval, and no slice fell by more than the slice bound` });
  }
  return findings;
}

/** Whether a worsening (positive = worse) exceeds the bound: points for shares, relative to the baseline value otherwise. */
function judge(worsening: number, baseline: number, bound: number, unit: string): { exceeds: boolean; allowed: string } {
  if (isShare(unit)) return { exceeds: worsening > bound + 1e-12, allowed: `${(bound * 100).toFixed(1)} pp` };
  const limit = bound * Math.abs(baseline);
  return { exceeds: !(worsening <= limit + 1e-12), allowed: `${(bound * 100).toFixed(1)}% of the baseline's ${formatValue(baseline, unit)} (${formatDifference(limit, unit)})` };
}

function sliceFindings(record: RunRecord, variant: VariantRecord, suiteId: string, metric: string, m: MetricView, envelope: ChangeEnvelope): Finding[] {
  const share = isShare(m.unit);
  const bound = share ? envelope.maxSliceDrop ?? envelope.maxAccuracyDrop : envelope.maxRelativeWorsening;
  const base = metricOf(cellOf(record, record.baseline, suiteId), metric);
  if (bound === undefined || !base) return [];
  const out: Finding[] = [];
  for (const breakdown of m.slices) {
    const before = base.slices.find((b) => b.tag === breakdown.tag);
    let hardest: { slice: string; worsening: number; text: string; exceeds: boolean; allowed: string } | undefined;
    for (const s of breakdown.slices) {
      const bs = before?.slices.find((x) => x.slice === s.slice);
      if (s.value === null || bs?.value == null) continue;
      const worsening = (m.higherIsBetter ? -1 : 1) * (s.value - bs.value);
      const verdict = judge(worsening, bs.value, bound, m.unit);
      if (!hardest || worsening > hardest.worsening) {
        hardest = { slice: s.slice, worsening, ...verdict, text: `${formatSummary(bs, m.unit)} → ${formatSummary(s, m.unit)}` };
      }
    }
    if (hardest?.exceeds) {
      out.push({ ok: false, text: `${suiteId} ${metric}, hardest-hit slice ${breakdown.tag}=${hardest.slice}: ${hardest.text} (unpaired point difference) is worse than the allowed ${hardest.allowed}` });
    }
  }
  return out;
}

/** One sentence for the screening result; never calls a variant the gate fails a non-substantial modification. */
export function screeningSentence(s: Screening): string {
  if (s.state === 'no-envelope') {
    return 'No change envelope declared (config.changeEnvelope names none): the modification cannot be screened and must be assessed by hand.';
  }
  return s.state === 'within'
    ? 'Within the declared change envelope: every declared bound holds on the worse end of the 95% sampling interval, no slice fell beyond its bound, and the gate passes the variant. Not a substantial modification under the envelope the provider declared.'
    : `Outside the declared change envelope (${s.findings.filter((f) => !f.ok).length} findings below): treat as a potentially substantial modification (Art. 3(23)); a new conformity assessment may be required (Art. 43(4)).`;
}
