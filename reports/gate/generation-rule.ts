/**
 * `max_generation_length_ratio`: bounds how much longer a variant's generations are than
 * its parent's on the same generate suite (issue 24: low-bit models have been reported to
 * generate several times longer chains). The value is the variant's median (or p95, with
 * `statistic: "p95"`) generated tokens over its parent's; it passes when ≤ `max`.
 * Fail-closed: a cell without recorded lengths, or a parent median of 0, fails.
 */
import { comparedToOf } from '../../core/pairing.js';
import type { GateRuleResult, GenerationLengthRecord, RunRecord } from '../../core/run-record.js';
import { failClosed, type Check } from './checks.js';
import type { GateRule } from './policy.js';
import { fmt, okCell } from './record-view.js';
import { ruleResult } from './result.js';

/** Rule kinds read by {@link generationRule}. */
export const GENERATION_RULE_KINDS: ReadonlySet<string> = new Set(['max_generation_length_ratio']);

/** The results of one generation-length rule on one variant: one per selected generate suite. */
export function generationRule(record: RunRecord, rule: GateRule, variantId: string): GateRuleResult[] {
  const statistic = rule.statistic ?? 'median';
  const metric = `generatedTokens.${statistic}`;
  const suite = rule.suite ?? '*';
  const suites = suite === '*' ? record.suites.filter((s) => s.kind === 'generate').map((s) => s.id) : [suite];
  if (suites.length === 0) return [ruleResult(rule, variantId, { suiteId: '*', metric }, failClosed(rule.max!, 'the run has no generate suite: no generation lengths to compare'))];
  return suites.map((suiteId) => ruleResult(rule, variantId, { suiteId, metric }, checkSuite(record, rule, variantId, suiteId, statistic)));
}

function lengthsOf(record: RunRecord, variantId: string, suiteId: string): GenerationLengthRecord | string {
  const cell = okCell(record, variantId, suiteId);
  if (!cell.ok) return cell.reason;
  const g = cell.value.generation;
  if (!g) return `cell ${variantId} × ${suiteId} records no generation lengths (not a generate suite, or a record from before lengths were recorded)`;
  if (g.n === 0) return `cell ${variantId} × ${suiteId} has no generation with a recorded length (${g.errored} errored, ${g.unrecorded} unrecorded)`;
  return g;
}

function checkSuite(record: RunRecord, rule: GateRule, variantId: string, suiteId: string, statistic: 'median' | 'p95'): Check {
  const max = rule.max!;
  const parent = comparedToOf(record, variantId);
  if (parent === undefined) return failClosed(max, `variant ${variantId} stands on its own: nothing to compare its lengths with`);
  const own = lengthsOf(record, variantId, suiteId);
  if (typeof own === 'string') return failClosed(max, own);
  const base = lengthsOf(record, parent, suiteId);
  if (typeof base === 'string') return failClosed(max, `parent ${parent}: ${base}`);
  const pick = (g: GenerationLengthRecord): number => (statistic === 'p95' ? g.p95Tokens : g.medianTokens);
  if (!(pick(base) > 0)) return failClosed(max, `parent ${parent}'s ${statistic} length is ${fmt(pick(base))} tokens: no ratio`);
  const value = pick(own) / pick(base);
  const pass = value <= max;
  return {
    value,
    bound: max,
    verdict: pass ? 'pass' : 'fail',
    reason: `${statistic} length ${fmt(pick(own))} vs ${fmt(pick(base))} tokens of ${parent}: ratio ${fmt(value)} ${pass ? '≤' : '>'} ${fmt(max)} (n=${own.n} vs ${base.n}; hit the limit ${own.hitLimit} vs ${base.hitLimit})`,
  };
}
