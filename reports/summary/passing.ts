import type { RunRecord } from '../../core/run-record.js';
import { formatBytes } from '../format.js';
import { measurementOf, orderedVariants, variantSetting } from '../record-view.js';

/** A variant every one of whose gate rules passed (or was skipped), with what it costs. */
export interface PassingVariant {
  readonly variantId: string;
  readonly setting: string;
  /** Real bytes on disk; undefined for a simulated variant (its file is dequantized fp32). */
  readonly sizeBytes?: number;
  /** Decode p50, ms/token, when measured. */
  readonly decodeMs?: number;
  readonly rules: number;
}

/**
 * Variants the gate judged (at least one rule) with no failed rule, ranked by real size on
 * disk, then decode latency (unknown last), then id; simulated variants (no real size) last.
 * Empty when the run has no gate verdict.
 */
export function passingVariants(record: RunRecord): PassingVariant[] {
  const rules = record.gate?.rules ?? [];
  const out: PassingVariant[] = [];
  for (const v of orderedVariants(record)) {
    const own = rules.filter((r) => r.variantId === v.id);
    if (own.length === 0 || own.some((r) => r.verdict === 'fail')) continue;
    const m = measurementOf(record, v.id);
    const simulated = v.executionForm === 'simulated' || m?.state === 'not-applicable';
    out.push({
      variantId: v.id,
      setting: variantSetting(v),
      ...(simulated ? {} : { sizeBytes: m?.state === 'measured' ? m.sizeBytes : v.sizeBytes }),
      ...(m?.state === 'measured' ? { decodeMs: m.decode.p50Ms } : {}),
      rules: own.length,
    });
  }
  const last = (x: number | undefined): number => x ?? Number.POSITIVE_INFINITY;
  return out.sort((a, b) => last(a.sizeBytes) - last(b.sizeBytes) || last(a.decodeMs) - last(b.decodeMs) || a.variantId.localeCompare(b.variantId));
}

/** A passing variant's size, or `simulated` where it has no real one. */
export function passingSize(p: PassingVariant): string {
  return p.sizeBytes === undefined ? 'simulated' : formatBytes(p.sizeBytes);
}
