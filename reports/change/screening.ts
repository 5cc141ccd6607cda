import type { RunRecord, VariantRecord } from '../../core/run-record.js';
import { formatDifference } from '../format.js';
import { comparisonOf, metricOf } from '../record-view.js';

/** The change envelope a config may declare (`config.changeEnvelope`): what counts as a non-substantial modification. */
export interface ChangeEnvelope {
  /** Largest allowed drop of any higher-is-better share metric vs baseline (e.g. 0.02 = 2 points). */
  readonly maxAccuracyDrop?: number;
  /** Compression methods the envelope covers. */
  readonly allowedMethods?: readonly string[];
  /** Lowest bit-width the envelope covers. */
  readonly minBits?: number;
}

/** The screening result: within or outside a declared envelope, or none declared. */
export type Screening =
  | { readonly state: 'no-envelope' }
  | { readonly state: 'within' | 'outside'; readonly envelope: ChangeEnvelope; readonly findings: readonly string[] };

/** Reads `config.changeEnvelope`, ignoring fields of the wrong type (each is then not screened). */
export function envelopeOf(record: RunRecord): ChangeEnvelope | undefined {
  const raw = (record.config as { changeEnvelope?: unknown }).changeEnvelope;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const e = raw as Record<string, unknown>;
  return {
    ...(typeof e.maxAccuracyDrop === 'number' ? { maxAccuracyDrop: e.maxAccuracyDrop } : {}),
    ...(Array.isArray(e.allowedMethods) ? { allowedMethods: e.allowedMethods.map(String) } : {}),
    ...(typeof e.minBits === 'number' ? { minBits: e.minBits } : {}),
  };
}

/**
 * Screens a variant against the declared envelope (Art. 3(23), 43(4)). Fail-closed: an
 * errored or uncompared cell cannot show the variant is within the envelope. The drop
 * is the point Δ of each suite's higher-is-better share metrics; its CI is reported.
 */
export function screenVariant(record: RunRecord, variant: VariantRecord): Screening {
  const envelope = envelopeOf(record);
  if (!envelope) return { state: 'no-envelope' };
  const findings: string[] = [];
  let outside = false;
  if (envelope.allowedMethods) {
    const ok = envelope.allowedMethods.includes(variant.method);
    outside ||= !ok;
    findings.push(`method '${variant.method}' ${ok ? 'is' : 'is not'} among the allowed methods (${envelope.allowedMethods.join(', ')})`);
  }
  const bits = (variant.params as { bits?: unknown }).bits;
  if (envelope.minBits !== undefined && typeof bits === 'number') {
    const ok = bits >= envelope.minBits;
    outside ||= !ok;
    findings.push(`${bits} bits ${ok ? '≥' : '<'} the envelope's minimum of ${envelope.minBits} bits`);
  }
  if (envelope.maxAccuracyDrop !== undefined) {
    for (const suite of record.suites) {
      const cell = record.cells.find((c) => c.variantId === variant.id && c.suiteId === suite.id);
      if (!cell || cell.state === 'errored') {
        outside = true;
        findings.push(`${suite.id}: ${cell ? 'errored' : 'not run'}, so the accuracy drop cannot be screened (fail-closed)`);
        continue;
      }
      for (const metric of suite.metrics) {
        const m = metricOf(cell, metric);
        const d = comparisonOf(cell, metric)?.delta;
        if (!m || m.unit !== '' || !m.higherIsBetter) continue;
        if (!d || !Number.isFinite(d.delta)) {
          outside = true;
          findings.push(`${suite.id} ${metric}: no comparison with the baseline (fail-closed)`);
          continue;
        }
        if (d.delta < -envelope.maxAccuracyDrop) {
          outside = true;
          findings.push(`${suite.id} ${metric}: Δ ${formatDifference(d.delta, '')} exceeds the allowed drop of ${(envelope.maxAccuracyDrop * 100).toFixed(1)} pp`);
        }
      }
    }
    if (!findings.some((f) => f.includes('Δ') || f.includes('fail-closed'))) findings.push(`no higher-is-better accuracy fell by more than ${(envelope.maxAccuracyDrop * 100).toFixed(1)} pp`);
  }
  return { state: outside ? 'outside' : 'within', envelope, findings };
}

/** One sentence for the screening result. */
export function screeningSentence(s: Screening): string {
  if (s.state === 'no-envelope') return 'No change envelope declared in the configuration (config.changeEnvelope): the modification cannot be screened and must be assessed by hand.';
  return s.state === 'within'
    ? 'Within the declared change envelope: not a substantial modification under the envelope the provider declared.'
    : 'Outside the declared change envelope: treat as a potentially substantial modification (Art. 3(23)); a new conformity assessment may be required (Art. 43(4)).';
}
