import type { RunRecord } from '../../core/run-record.js';
import { jsonDifferences, type JsonDifference } from './json-diff.js';

/** A suite or variant whose identity changed between run A and run B. */
export interface IdentityChange {
  readonly id: string;
  /** `changed`: in both runs with a different hash; `only-a` / `only-b`: in one run only. */
  readonly change: 'changed' | 'only-a' | 'only-b';
  /** The hash in A (suite hash or model sha256), null when absent from A. */
  readonly a: string | null;
  readonly b: string | null;
}

/** What differs between two runs' headers: the context a changed number must be read in. */
export interface HeaderDiff {
  /** `$.version`, `$.gitSha` differences of the harness. */
  readonly harness: readonly JsonDifference[];
  /** Differences of the resolved configuration, as JSON paths. */
  readonly config: readonly JsonDifference[];
  /** Differences of the hardware fingerprint, as JSON paths. */
  readonly hardware: readonly JsonDifference[];
  /** Suites whose content hash changed, or that only one run evaluated. */
  readonly suites: readonly IdentityChange[];
  /** Variants whose model bytes (modelSha256) changed, or that only one run holds. */
  readonly variants: readonly IdentityChange[];
  readonly baseline: { readonly a: string; readonly b: string } | null;
}

/** Compares the headers of two run records (harness, config, hardware, suites, variants). */
export function headerDiff(a: RunRecord, b: RunRecord): HeaderDiff {
  return {
    harness: jsonDifferences(a.harness, b.harness),
    config: jsonDifferences(a.config, b.config),
    hardware: jsonDifferences(a.hardware, b.hardware),
    suites: identityChanges(
      a.suites.map((s) => [s.id, s.hash]),
      b.suites.map((s) => [s.id, s.hash]),
    ),
    variants: identityChanges(
      a.variants.map((v) => [v.id, v.modelSha256]),
      b.variants.map((v) => [v.id, v.modelSha256]),
    ),
    baseline: a.baseline === b.baseline ? null : { a: a.baseline, b: b.baseline },
  };
}

function identityChanges(a: readonly (readonly [string, string])[], b: readonly (readonly [string, string])[]): IdentityChange[] {
  const inA = new Map(a);
  const inB = new Map(b);
  const out: IdentityChange[] = [];
  for (const [id, hash] of a) {
    const other = inB.get(id);
    if (other === undefined) out.push({ id, change: 'only-a', a: hash, b: null });
    else if (other !== hash) out.push({ id, change: 'changed', a: hash, b: other });
  }
  for (const [id, hash] of b) if (!inA.has(id)) out.push({ id, change: 'only-b', a: null, b: hash });
  return out;
}

/** True when nothing in the header differs. */
export function headerUnchanged(d: HeaderDiff): boolean {
  return [d.harness, d.config, d.hardware, d.suites, d.variants].every((list) => list.length === 0) && d.baseline === null;
}
