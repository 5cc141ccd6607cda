import { comparedToOf, ranSuite } from '../../core/pairing.js';
import type { GateRuleResult, GateVerdict, RunRecord } from '../../core/run-record.js';
import { closestNames } from '../../core/schemas/suggest.js';
import {
  checkCeiling,
  checkAbsoluteDrop,
  checkFlipRate,
  checkFloor,
  checkNoninferiorityPaired,
  checkNoninferiorityUnpaired,
  checkRecovery,
  checkRelativeDrop,
  failClosed,
  type Check,
} from './checks.js';
import { measuredRule } from './measured-rule.js';
import { agreementRule, AGREEMENT_RULE_KINDS } from './agreement-rule.js';
import { generationRule, GENERATION_RULE_KINDS } from './generation-rule.js';
import { savingsRule, SAVINGS_RULE_KINDS } from './savings-rule.js';
import type { GatePolicy, GateRule, PolicySource } from './policy.js';
import { DEFAULT_RECOVERY_RATIO, parameterBound, ruleResult } from './result.js';
import { judgePower } from './power-check.js';
import { comparisonView, metricView, okCell, sliceComparisonView, summaryOf, unusableSummary, type MetricView } from './record-view.js';
import { selectSuites, selectVariants } from './targets.js';

/** Kinds that read the summary of the variant's parent (the same slice) besides the variant's. */
const NEEDS_BASELINE_SUMMARY: ReadonlySet<string> = new Set(['relative_drop', 'absolute_drop', 'recovery', 'noninferiority']);

/**
 * Applies a policy to a run record (DESIGN.md §7) and returns the verdict: one result
 * per rule × selected variant × suite × slice (× figure for latency). Fail-closed:
 * anything the rule cannot read (missing or errored cell, tooFew or n < minN,
 * missing comparison or measurement) fails it with the reason. Skips (a latency or
 * memory rule on a simulated variant under `simulated: "skip"`) do not fail the gate.
 */
export function evaluateGate(record: RunRecord, policy: GatePolicy, policySource: PolicySource): GateVerdict {
  const missing = missingNames(record, policy.rules);
  const rules = [
    ...hardwareRules(record),
    ...missing.results,
    ...policy.rules.filter((rule) => !missing.ruleIds.has(rule.id)).flatMap((rule) => evaluateRule(record, policy, rule)),
  ];
  return {
    verdict: rules.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
    policySource: policySource.source,
    policySha256: policySource.sha256,
    ...(policy.description === undefined ? {} : { policyDescription: policy.description }),
    rules,
  };
}

/**
 * Suites, suite metrics and measurements that rules name but the run lacks: one failed
 * result per missing name (listing the rules that name it), not one per variant and cell.
 */
function missingNames(record: RunRecord, rules: readonly GateRule[]): { results: GateRuleResult[]; ruleIds: Set<string> } {
  const byName = new Map<string, { rules: GateRule[]; suiteId?: string; metric?: string; reason: string }>();
  const note = (key: string, rule: GateRule, entry: { suiteId?: string; metric?: string; reason: string }): void => {
    const found = byName.get(key) ?? { ...entry, rules: [] };
    found.rules.push(rule);
    byName.set(key, found);
  };
  for (const rule of rules) {
    if (AGREEMENT_RULE_KINDS.has(rule.kind) || SAVINGS_RULE_KINDS.has(rule.kind) || GENERATION_RULE_KINDS.has(rule.kind)) continue;
    if (rule.kind === 'latency' || rule.kind === 'memory') {
      if (record.measurements === undefined) {
        note('measurements', rule, { reason: 'the run has no measurements (it ran with measurement off): turn measurement on in the run config, or drop the latency and memory rules' });
      }
      continue;
    }
    const suites = selectSuites(record, rule);
    if (!('none' in suites)) continue;
    // A suite the run has (or `*`) lacks the metric; otherwise the suite itself is missing.
    const suiteKnown = rule.suite === '*' || record.suites.some((s) => s.id === rule.suite);
    note(suiteKnown ? `metric:${rule.suite}/${rule.metric}` : `suite:${rule.suite}`, rule, { suiteId: rule.suite, ...(suiteKnown ? { metric: rule.metric } : {}), reason: suites.none });
  }
  const results = [...byName.values()].map((m): GateRuleResult => ({
    rule: m.rules.map((r) => r.id).join(', '),
    kind: 'missing',
    variantId: '*',
    ...(m.suiteId === undefined ? {} : { suiteId: m.suiteId }),
    ...(m.metric === undefined ? {} : { metric: m.metric }),
    value: null,
    bound: parameterBound(m.rules[0]),
    verdict: 'fail',
    reason: `${m.reason} (named by ${m.rules.length === 1 ? 'rule' : `${m.rules.length} rules`} ${m.rules.map((r) => r.id).join(', ')})`,
  }));
  return { results, ruleIds: new Set([...byName.values()].flatMap((m) => m.rules.map((r) => r.id))) };
}

/**
 * Built in, whatever the policy says: a packed variant whose kernel disagreed with its
 * simulated twin on the machine that ran it fails (its figures describe a broken kernel).
 */
function hardwareRules(record: RunRecord): GateRuleResult[] {
  return record.variants.flatMap((v) => {
    const c = v.selfCheck;
    if (!c || c.state !== 'invalid') return [];
    return [{
      rule: 'builtin.self-check', kind: 'self-check', variantId: v.id, value: c.relRmsError, bound: c.bound, verdict: 'fail',
      reason: `invalid on this hardware: ${c.form} vs its simulated twin, relative logit error ${c.relRmsError.toExponential(2)} > ${c.bound} on ${c.machine.cpuModel}`,
    } satisfies GateRuleResult];
  });
}

function evaluateRule(record: RunRecord, policy: GatePolicy, rule: GateRule): GateRuleResult[] {
  const variants = selectVariants(record, rule);
  const suiteTarget = { suiteId: rule.suite, metric: rule.metric };
  if ('none' in variants) return [ruleResult(rule, variants.pattern, suiteTarget, failClosed(parameterBound(rule), variants.none))];
  if (rule.kind === 'latency' || rule.kind === 'memory') {
    return variants.ids.flatMap((id) => measuredRule(record, policy, rule, id));
  }
  if (AGREEMENT_RULE_KINDS.has(rule.kind)) return variants.ids.flatMap((id) => agreementRule(record, rule, id));
  if (SAVINGS_RULE_KINDS.has(rule.kind)) return variants.ids.map((id) => savingsRule(record, policy, rule, id));
  if (GENERATION_RULE_KINDS.has(rule.kind)) return variants.ids.flatMap((id) => generationRule(record, rule, id));
  const suites = selectSuites(record, rule);
  // missingNames reports these once per name; kept fail-closed should a caller skip it.
  if ('none' in suites) return [ruleResult(rule, '*', suiteTarget, failClosed(parameterBound(rule), suites.none))];
  // A variant whose model runs only some of the run's suites (config models[].suites) is not judged on the others.
  const pairs = variants.ids.flatMap((id) => suites.ids.filter((suiteId) => ranSuite(record, id, suiteId)).map((suiteId) => [id, suiteId] as const));
  if (pairs.length === 0) {
    return [ruleResult(rule, variants.ids.join(','), suiteTarget, failClosed(parameterBound(rule), `no selected variant ran suite '${suites.ids.join(', ')}' (their models' "suites" leave it out): ${variants.ids.join(', ')}`))];
  }
  return pairs.flatMap(([id, suiteId]) => suiteRule(record, policy, rule, id, suiteId));
}

function suiteRule(record: RunRecord, policy: GatePolicy, rule: GateRule, variantId: string, suiteId: string): GateRuleResult[] {
  const metric = rule.metric!;
  const fail = (reason: string): GateRuleResult[] => [
    ruleResult(rule, variantId, { suiteId, metric, ...(rule.slice ? { slice: sliceName(rule.slice.tag, rule.slice.value ?? '*') } : {}) }, failClosed(parameterBound(rule), reason)),
  ];
  const cell = okCell(record, variantId, suiteId);
  if (!cell.ok) return fail(cell.reason);
  const view = metricView(cell.value, metric);
  if (!view.ok) return fail(view.reason);
  let baseView: MetricView | undefined;
  const baseId = comparedToOf(record, variantId);
  if (NEEDS_BASELINE_SUMMARY.has(rule.kind)) {
    if (baseId === undefined) return fail(`variant ${variantId} stands on its own: nothing to compare it with`);
    const baseCell = okCell(record, baseId, suiteId);
    if (!baseCell.ok) return fail(`baseline ${baseId}: ${baseCell.reason}`);
    const base = metricView(baseCell.value, metric);
    if (!base.ok) return fail(`baseline ${baseId}: ${base.reason}`);
    baseView = base.value;
  }
  const slices = sliceValues(view.value, baseView, rule);
  if ('none' in slices) return fail(slices.none);
  return slices.values.map((value) => {
    const slice = rule.slice && value !== undefined ? { tag: rule.slice.tag, value } : undefined;
    const target = { suiteId, metric, ...(slice ? { slice: sliceName(slice.tag, slice.value) } : {}) };
    return ruleResult(rule, variantId, target, checkTarget(policy, rule, { baseId: baseId ?? '', cell: cell.value, view: view.value, baseView, slice }));
  });
}

/** What a suite rule checks on one target: the variant's cell and metric, its parent's metric (when read), the slice. */
interface Target {
  /** The parent's id, '' for a variant that stands on its own. */
  readonly baseId: string;
  readonly cell: Parameters<typeof comparisonView>[0];
  readonly view: MetricView;
  readonly baseView: MetricView | undefined;
  readonly slice: { tag: string; value: string } | undefined;
}

/** The rule's check on one target, with the power judgement of reports/gate/power-check.ts. */
function checkTarget(policy: GatePolicy, rule: GateRule, target: Target): Check {
  const { baseId, cell, view, baseView, slice } = target;
  const check = ruleCheck(policy, rule, target);
  const overall = comparisonView(cell, rule.metric!);
  const comparison = slice ? sliceComparisonView(cell, rule.metric!, slice) : overall.ok ? overall.value : undefined;
  const baseline = baseView ? summaryOf(baseView, slice)?.value ?? NaN : NaN;
  return judgePower(check, { rule, policy, higherIsBetter: view.higherIsBetter, compared: baseId !== '', comparison, baseline });
}

function ruleCheck(policy: GatePolicy, rule: GateRule, { baseId, cell, view, baseView, slice }: Target): Check {
  const minN = rule.minN ?? policy.minN ?? 0;
  const bound = rule.kind === 'noninferiority' && !view.higherIsBetter ? rule.margin! : parameterBound(rule);
  const variant = summaryOf(view, slice);
  const badVariant = unusableSummary(variant, `variant ${cell.variantId}`, minN);
  if (badVariant) return failClosed(bound, badVariant);
  const v = variant!.value!;
  const baseline = baseView ? summaryOf(baseView, slice) : undefined;
  if (baseView) {
    const badBase = unusableSummary(baseline, `baseline ${baseId}`, minN);
    if (badBase) return failClosed(bound, badBase);
  }
  const b = baseline?.value ?? NaN;
  const hib = view.higherIsBetter;
  switch (rule.kind) {
    case 'floor':
      return checkFloor(v, rule.min!);
    case 'ceiling':
      return checkCeiling(v, rule.max!);
    case 'relative_drop':
      return checkRelativeDrop(v, b, rule.tolerance!, hib);
    case 'absolute_drop':
      return checkAbsoluteDrop(v, b, rule.tolerance!, hib);
    case 'recovery':
      return checkRecovery(v, b, rule.ratio ?? DEFAULT_RECOVERY_RATIO, hib);
    case 'noninferiority': {
      if (slice) return checkNoninferiorityUnpaired(variant!, baseline!, rule.margin!, hib);
      const cmp = comparisonView(cell, rule.metric!);
      if (!cmp.ok) return failClosed(bound, cmp.reason);
      if (cmp.value.delta.n < minN) return failClosed(bound, `paired n=${cmp.value.delta.n} is below the policy's minN ${minN}`);
      return checkNoninferiorityPaired(cmp.value.delta, rule.margin!, hib);
    }
    case 'max_flip_rate': {
      const cmp = comparisonView(cell, rule.metric!);
      if (!cmp.ok) return failClosed(bound, cmp.reason);
      const flips = cmp.value.flips;
      if (!flips) return failClosed(bound, `metric '${rule.metric}' has no flip statistics (flips need a 0/1 metric)`);
      if (flips.n < minN) return failClosed(bound, `paired n=${flips.n} is below the policy's minN ${minN}`);
      return checkFlipRate(flips, rule.max!, rule.flips ?? 'right_to_wrong');
    }
    default:
      return failClosed(bound, `rule kind '${rule.kind}' does not read a suite`);
  }
}

/** The slice values a rule checks: none (overall), the one it names, or every value of its tag in either cell. */
function sliceValues(
  view: MetricView,
  baseView: MetricView | undefined,
  rule: GateRule,
): { readonly values: readonly (string | undefined)[] } | { readonly none: string } {
  if (!rule.slice) return { values: [undefined] };
  const { tag, value } = rule.slice;
  const breakdown = view.slices.find((b) => b.tag === tag);
  if (!breakdown) {
    const tags = view.slices.map((b) => b.tag);
    const near = closestNames(tag, tags);
    return { none: `the aggregate has no slice tag '${tag}'.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''} Tags: ${tags.join(', ') || '(none)'}` };
  }
  if (value !== undefined) return { values: [value] };
  const all = new Set(breakdown.slices.map((s) => s.slice));
  for (const s of baseView?.slices.find((b) => b.tag === tag)?.slices ?? []) all.add(s.slice);
  if (all.size === 0) return { none: `tag '${tag}' has no slices in the aggregate` };
  return { values: [...all].sort() };
}

function sliceName(tag: string, value: string): string {
  return `${tag}=${value}`;
}
