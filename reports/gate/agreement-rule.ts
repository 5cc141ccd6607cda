/**
 * Gate rules on distribution agreement with the baseline (the cell's `agreement`, llama.cpp
 * perplexity's `--kl-divergence` figures): `max_mean_kl` passes when the upper end of the
 * 95% interval of the mean KL per token is ≤ `max`, `min_same_top_rate` when the lower end
 * of the same-top rate's interval is ≥ `min`, so a variant passes only when its whole
 * interval is inside the bound. Fail-closed: a cell without computed agreement (errored, a
 * generate suite, not computed with its reason) fails the rule.
 */
import { AGREEMENT_SUITE_KINDS, type CellAgreement, type GateRuleResult, type RunRecord } from '../../core/run-record.js';
import { closestNames } from '../../core/schemas/suggest.js';
import { failClosed, type Check } from './checks.js';
import type { GateRule } from './policy.js';
import { fmt, okCell } from './record-view.js';
import { ruleResult } from './result.js';

/** Rule kinds read by {@link agreementRule}. */
export const AGREEMENT_RULE_KINDS: ReadonlySet<string> = new Set(['max_mean_kl', 'min_same_top_rate']);

/** The results of one agreement rule on one variant: one per selected suite. */
export function agreementRule(record: RunRecord, rule: GateRule, variantId: string): GateRuleResult[] {
  const metric = rule.kind === 'max_mean_kl' ? 'meanKl' : 'sameTopRate';
  const bound = rule.kind === 'max_mean_kl' ? rule.max! : rule.min!;
  const suites = rule.suite === '*' ? record.suites.filter((s) => AGREEMENT_SUITE_KINDS.has(s.kind)).map((s) => s.id) : [rule.suite!];
  if (suites.length === 0) return [ruleResult(rule, variantId, { suiteId: '*', metric }, failClosed(bound, 'the run has no loglikelihood or rolling suite: no token distributions to compare'))];
  return suites.map((suiteId) => ruleResult(rule, variantId, { suiteId, metric }, checkSuite(record, rule, variantId, suiteId, bound)));
}

function checkSuite(record: RunRecord, rule: GateRule, variantId: string, suiteId: string, bound: number): Check {
  const suite = record.suites.find((s) => s.id === suiteId);
  if (!suite) {
    const near = closestNames(suiteId, record.suites.map((s) => s.id));
    return failClosed(bound, `suite '${suiteId}' is not in the run.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''}`);
  }
  if (!AGREEMENT_SUITE_KINDS.has(suite.kind)) return failClosed(bound, `suite '${suiteId}' is a ${suite.kind} suite: it scores no token distributions (agreement needs a loglikelihood or rolling suite)`);
  const cell = okCell(record, variantId, suiteId);
  if (!cell.ok) return failClosed(bound, cell.reason);
  const a: CellAgreement | undefined = cell.value.agreement;
  if (!a) return failClosed(bound, `cell ${variantId} × ${suiteId} has no agreement figures (the run did not compute them)`);
  if (a.state !== 'computed') return failClosed(bound, `agreement not computed: ${a.reason}`);
  const lower = a.bound === 'exact' ? '' : `; ${a.bound}`;
  if (rule.kind === 'max_mean_kl') {
    const pass = a.meanKl.high <= bound;
    return { value: a.meanKl.value, bound, verdict: pass ? 'pass' : 'fail', reason: `mean KL ${fmt(a.meanKl.value)} nats/token, 95% CI up to ${fmt(a.meanKl.high)} ${pass ? '≤' : '>'} ${fmt(bound)} (${a.tokens} tokens vs ${a.baseline}${lower})` };
  }
  const pass = a.sameTopRate.low >= bound;
  return { value: a.sameTopRate.value, bound, verdict: pass ? 'pass' : 'fail', reason: `same top token ${fmt(a.sameTopRate.value)}, 95% CI from ${fmt(a.sameTopRate.low)} ${pass ? '≥' : '<'} ${fmt(bound)} (${a.tokens} tokens vs ${a.baseline})` };
}
