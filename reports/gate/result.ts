import type { GateRuleResult } from '../../core/run-record.js';
import type { Check } from './checks.js';
import type { GateRule } from './policy.js';

/** Default recovery ratio (llm-compressor's nightly tests). */
export const DEFAULT_RECOVERY_RATIO = 0.95;

/** Where a result applies: suite, metric and `tag=value` slice (all optional). */
export interface ResultTarget {
  readonly suiteId?: string;
  readonly metric?: string;
  readonly slice?: string;
}

/** A rule result from a check (undefined target fields are left out). */
export function ruleResult(rule: GateRule, variantId: string, target: ResultTarget, check: Check): GateRuleResult {
  return {
    rule: rule.id,
    kind: rule.kind,
    variantId,
    ...(target.suiteId === undefined ? {} : { suiteId: target.suiteId }),
    ...(target.metric === undefined ? {} : { metric: target.metric }),
    ...(target.slice === undefined ? {} : { slice: target.slice }),
    value: check.value,
    bound: check.bound,
    verdict: check.verdict,
    reason: check.reason,
    ...(check.power === undefined ? {} : { power: check.power }),
  };
}

/**
 * The bound a rule reports when its value could not be read: the rule's own parameter
 * (the computed bound needs the baseline's value).
 */
export function parameterBound(rule: GateRule): number {
  switch (rule.kind) {
    case 'floor':
      return rule.min!;
    case 'ceiling':
    case 'max_flip_rate':
    case 'max_mean_kl':
      return rule.max!;
    case 'min_same_top_rate':
    case 'min_memory_saving':
    case 'min_disk_saving':
    case 'min_speedup':
      return rule.min!;
    case 'max_generation_length_ratio':
      return rule.max!;
    case 'relative_drop':
    case 'absolute_drop':
      return rule.tolerance!;
    case 'recovery':
      return rule.ratio ?? DEFAULT_RECOVERY_RATIO;
    case 'noninferiority':
      return -rule.margin!;
    case 'latency':
      return rule.decodeP99Ms ?? rule.prefillP99Ms!;
    case 'memory':
      return rule.maxPeakRssBytes!;
  }
}

