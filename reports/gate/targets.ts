import { isCompared } from '../../core/pairing.js';
import type { RunRecord } from '../../core/run-record.js';
import { closestNames } from '../../core/schemas/suggest.js';
import type { GateRule } from './policy.js';

/** Rule kinds that compare a variant with its parent (never applied to a variant that stands on its own). */
export const COMPARISON_KINDS: ReadonlySet<string> = new Set(['relative_drop', 'absolute_drop', 'recovery', 'noninferiority', 'max_flip_rate', 'max_mean_kl', 'min_same_top_rate', 'min_memory_saving', 'min_disk_saving', 'min_speedup', 'max_generation_length_ratio']);

/** A glob over variant ids: `*` matches any run of characters (slashes included), the rest literally. */
export function globMatches(pattern: string, id: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'u').test(id);
}

/** The variants a rule applies to, in the run's order, or why none. */
export type VariantSelection = { readonly ids: readonly string[] } | { readonly none: string; readonly pattern: string };

/**
 * The variants a rule selects: its `variants` globs (default: every variant that is
 * compared with another, core/pairing.ts). Comparison rules never select a variant that
 * stands on its own. An empty selection is a failure of the rule, not a silent pass.
 */
export function selectVariants(record: RunRecord, rule: GateRule): VariantSelection {
  const all = record.variants.map((v) => v.id);
  const patterns = rule.variants === undefined ? undefined : typeof rule.variants === 'string' ? [rule.variants] : rule.variants;
  const picked = all.filter(
    (id) =>
      (patterns ? patterns.some((p) => globMatches(p, id)) : isCompared(record, id)) &&
      !(COMPARISON_KINDS.has(rule.kind) && !isCompared(record, id)),
  );
  if (picked.length > 0) return { ids: picked };
  const pattern = patterns ? patterns.join(',') : '(every variant compared with another)';
  const alone = all.filter((id) => !isCompared(record, id));
  const reason = patterns
    ? `no variant of the run matches ${patterns.map((p) => `'${p}'`).join(', ')}${COMPARISON_KINDS.has(rule.kind) ? ` (a variant that stands on its own is never compared: ${alone.join(', ')})` : ''}; variants: ${all.join(', ')}`
    : `the run has no variant that is compared with another (standing on their own: ${alone.join(', ')})`;
  return { none: reason, pattern };
}

/** The suites a rule applies to, or why none: `*` = every suite of the run that reports the metric. */
export type SuiteSelection = { readonly ids: readonly string[] } | { readonly none: string };

/** Resolves a suite rule's `suite` and checks the suite reports its `metric`. */
export function selectSuites(record: RunRecord, rule: GateRule): SuiteSelection {
  const metric = rule.metric!;
  if (rule.suite === '*') {
    const ids = record.suites.filter((s) => s.metrics.includes(metric)).map((s) => s.id);
    return ids.length > 0 ? { ids } : { none: `no suite of the run reports metric '${metric}'` };
  }
  const suite = record.suites.find((s) => s.id === rule.suite);
  if (!suite) {
    const known = record.suites.map((s) => s.id);
    const near = closestNames(rule.suite!, known);
    return { none: `suite '${rule.suite}' is not in the run.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''} Suites: ${known.join(', ')}` };
  }
  if (!suite.metrics.includes(metric)) {
    const near = closestNames(metric, suite.metrics);
    return { none: `suite '${suite.id}' does not report metric '${metric}'.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''} Available: ${suite.metrics.join(', ')}` };
  }
  return { ids: [suite.id] };
}
