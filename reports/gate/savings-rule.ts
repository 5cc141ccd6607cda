/**
 * Gate rules on what a variant saves against its parent (the run record's `savings`,
 * core/savings.ts): `min_memory_saving` and `min_disk_saving` pass when 1 − variant/parent
 * of peak RSS or bytes on disk is ≥ `min`; `min_speedup` when decode tokens/s of the
 * variant over its parent's is ≥ `min`. A simulated variant has no saving: skipped or
 * failed as the policy's `simulated` says; anything else unreadable fails (fail-closed).
 */
import type { GateRuleResult, RunRecord } from '../../core/run-record.js';
import { failClosed, type Check } from './checks.js';
import type { GatePolicy, GateRule } from './policy.js';
import { mib } from './measured-rule.js';
import { fmt } from './record-view.js';
import { ruleResult } from './result.js';

/** Rule kinds read by {@link savingsRule}. */
export const SAVINGS_RULE_KINDS: ReadonlySet<string> = new Set(['min_memory_saving', 'min_disk_saving', 'min_speedup']);

const FIGURES = {
  min_memory_saving: { metric: 'peakRssBytes.saving', what: 'peak RSS saving' },
  min_disk_saving: { metric: 'diskBytes.saving', what: 'disk saving' },
  min_speedup: { metric: 'decodeTokensPerS.speedup', what: 'decode speedup' },
} as const;

/** The result of one savings rule on one variant. */
export function savingsRule(record: RunRecord, policy: GatePolicy, rule: GateRule, variantId: string): GateRuleResult {
  const figure = FIGURES[rule.kind as keyof typeof FIGURES];
  return ruleResult(rule, variantId, { metric: figure.metric }, checkSavings(record, policy, rule, variantId));
}

function checkSavings(record: RunRecord, policy: GatePolicy, rule: GateRule, variantId: string): Check {
  const min = rule.min!;
  const figure = FIGURES[rule.kind as keyof typeof FIGURES];
  if (record.savings === undefined) return failClosed(min, 'the run has no savings (measurement was off, or the record predates them): turn measurement on in the run config');
  const s = record.savings.find((x) => x.variantId === variantId);
  if (!s) return failClosed(min, `no savings for ${variantId}: it has no parent to save against`);
  if (s.state === 'not-applicable') {
    const simulated = s.reason.startsWith('n/a (simulated)');
    if (simulated && (rule.simulated ?? policy.simulated ?? 'skip') === 'skip') return { value: null, bound: min, verdict: 'skip', reason: `skip (simulated): ${variantId} has no real ${figure.what}` };
    return failClosed(min, `no ${figure.what}: ${s.reason}`);
  }
  const [value, detail] =
    rule.kind === 'min_memory_saving'
      ? [s.peakRssBytes.saving, `peak RSS ${mib(s.peakRssBytes.variant)} vs ${mib(s.peakRssBytes.parent)} of ${s.parent}`]
      : rule.kind === 'min_disk_saving'
        ? [s.diskBytes.saving, `${mib(s.diskBytes.variant)} on disk vs ${mib(s.diskBytes.parent)} of ${s.parent}`]
        : [s.decodeTokensPerS.speedup, `decode ${fmt(s.decodeTokensPerS.variant)} vs ${fmt(s.decodeTokensPerS.parent)} tokens/s of ${s.parent}`];
  if (!Number.isFinite(value)) return failClosed(min, `${figure.what} is not a finite number (${detail})`);
  const pass = value >= min;
  const replayed = s.replayed ? '; replayed from the measurement cache' : '';
  return { value, bound: min, verdict: pass ? 'pass' : 'fail', reason: `${figure.what} ${fmt(value)} ${pass ? '≥' : '<'} ${fmt(min)} (${detail}${replayed})` };
}
