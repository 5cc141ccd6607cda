/**
 * Whether a rule could have failed (issue 24). A rule that compares a point estimate with
 * a tolerance (floor, ceiling, relative or absolute drop, recovery, flip-rate ceiling)
 * passes whenever the estimate lands on the right side, even when the suite is too small
 * to see a loss of the size the tolerance allows: that pass is `underpowered` (the
 * tolerance is below the minimum detectable effect of the paired comparison, run.json
 * `vsBaseline.metrics[m].power`), and `requirePower` turns it into a failure. A
 * non-inferiority rule that fails only because its interval is wider than the margin
 * says so, and how many items would decide it (core/stats/power.ts `itemsToDecide`).
 */
import type { PointPower, RulePower } from '../../core/run-record.js';
import { flipRateMde, itemsToDecide, type PowerEstimate } from '../../core/stats/power.js';
import type { Check } from './checks.js';
import type { GatePolicy, GateRule } from './policy.js';
import { fmt, type ComparisonView } from './record-view.js';

/** What {@link judgePower} reads besides the check. */
export interface PowerInputs {
  readonly rule: GateRule;
  readonly policy: GatePolicy;
  readonly higherIsBetter: boolean;
  /** Whether the variant is compared with a parent (a variant on its own has no Δ, so no power question). */
  readonly compared: boolean;
  /** The paired comparison of the rule's target (overall, or its slice's), when the record holds one. */
  readonly comparison: ComparisonView | undefined;
  /** The baseline value the rule's bound was computed from (NaN when the rule read no baseline). */
  readonly baseline: number;
}

/** Kinds whose pass rests on a point estimate against a tolerance. */
const POINT_KINDS: ReadonlySet<string> = new Set(['floor', 'ceiling', 'relative_drop', 'absolute_drop', 'recovery', 'max_flip_rate']);

/** The policy's (or the rule's own) `requirePower`. */
export function requiresPower(rule: GateRule, policy: GatePolicy): boolean {
  return rule.requirePower ?? policy.requirePower ?? false;
}

/** The check with its `power` judgement added and, under `requirePower`, an underpowered pass failed. */
export function judgePower(check: Check, inputs: PowerInputs): Check {
  if (inputs.rule.kind === 'noninferiority') return tooWide(check, inputs);
  if (check.verdict !== 'pass' || !POINT_KINDS.has(inputs.rule.kind) || !inputs.compared) return check;
  const power = pointPower(check, inputs);
  if (power === undefined) return check;
  const required = requiresPower(inputs.rule, inputs.policy);
  if (power.status === 'unknown') {
    return required ? { ...check, verdict: 'fail', reason: `requirePower: ${power.reason}; the point estimate passed (${check.reason})`, power } : { ...check, power };
  }
  if (power.status === 'powered') return { ...check, power };
  const why = `underpowered: the rule allows a loss of ${fmt(power.tolerance)}, below the minimum detectable effect ${fmt(power.mde)} (${mdeBasis(power)})`;
  return required
    ? { ...check, verdict: 'fail', reason: `${why}, and the policy sets requirePower; the point estimate passed (${check.reason})`, power }
    : { ...check, reason: `${check.reason}; ${why}: the suite could not have detected a loss of that size`, power };
}

function mdeBasis(p: PointPower): string {
  const m = Number.isInteger(p.m) ? String(p.m) : p.m.toFixed(1);
  if (p.method === 'flip-rate') return `flip rate k²/(m + k²), m=${m}, α 0.05, power 0.8`;
  if (p.method === 'disagreement') return `k·√(ρ_d/m), ρ_d ${fmt(p.disagreementRate ?? NaN)}, m=${m}, α 0.05, power 0.8`;
  return `k·SE of the paired bootstrap, m=${m}, α 0.05, power 0.8`;
}

/** The loss a point rule allows, in metric units, on the worse side of the baseline; undefined where the bound is not a loss bound. */
function allowedLoss(check: Check, rule: GateRule, baseline: number, higherIsBetter: boolean): number | undefined {
  switch (rule.kind) {
    case 'floor':
      return higherIsBetter ? baseline - check.bound : undefined;
    case 'ceiling':
      return higherIsBetter ? undefined : check.bound - baseline;
    case 'relative_drop':
    case 'absolute_drop':
      return higherIsBetter ? baseline - check.bound : check.bound - baseline;
    case 'recovery': {
      const ratio = check.bound;
      return higherIsBetter ? baseline * (1 - ratio) : baseline / ratio - baseline;
    }
    default:
      return undefined;
  }
}

function pointPower(check: Check, inputs: PowerInputs): PointPower | Extract<RulePower, { status: 'unknown' }> | undefined {
  const { rule, comparison } = inputs;
  if (rule.kind === 'max_flip_rate') {
    const flips = comparison?.flips;
    if (!flips) return undefined;
    const m = comparison.delta.clustering?.nEffective ?? flips.n;
    const mde = flipRateMde(m);
    return { status: rule.max! < mde ? 'underpowered' : 'powered', tolerance: rule.max!, mde, m, method: 'flip-rate' };
  }
  if (!comparison) return { status: 'unknown', reason: 'no paired comparison with the parent for this target, so no minimum detectable effect' };
  const estimate: PowerEstimate | undefined = comparison.power;
  if (!estimate) return { status: 'unknown', reason: 'the run record has no power figures (written before compbench recorded them): run it again' };
  const baseline = Number.isFinite(inputs.baseline) ? inputs.baseline : comparison.delta.baselineMean;
  const tolerance = allowedLoss(check, rule, baseline, inputs.higherIsBetter);
  // A bound the parent itself misses allows no loss: the pass rests on an improvement, not judged here.
  if (tolerance === undefined || !(tolerance > 0)) return undefined;
  return {
    status: tolerance < estimate.mde ? 'underpowered' : 'powered',
    tolerance,
    mde: estimate.mde,
    m: estimate.m,
    method: estimate.method,
    disagreementRate: estimate.disagreementRate,
  };
}

/**
 * A failed non-inferiority rule whose estimate is inside the margin while its interval's
 * worse end is beyond it: it failed for width. Items that would decide it: n·(h/d)², h the
 * interval's half-width on the worse side, d the distance from the estimate to the margin.
 */
function tooWide(check: Check, inputs: PowerInputs): Check {
  const interval = check.interval;
  if (check.verdict !== 'fail' || !interval) return check;
  const margin = inputs.rule.margin!;
  const hib = inputs.higherIsBetter;
  const distance = hib ? interval.estimate + margin : margin - interval.estimate;
  const halfWidth = hib ? interval.estimate - interval.low : interval.high - interval.estimate;
  if (!(distance > 0) || !(halfWidth > 0) || !(interval.n > 0)) return check;
  // The rule failed on n items, so at least one more is needed even when the bound sits exactly on the margin (h = d).
  const itemsNeeded = Math.max(interval.n + 1, itemsToDecide(interval.n, halfWidth, distance));
  const power: RulePower = { status: 'too-wide', halfWidth, distance, n: interval.n, itemsNeeded };
  const side = hib ? `lower end ${fmt(interval.low)} is at or below −${fmt(margin)}` : `upper end ${fmt(interval.high)} is at or above +${fmt(margin)}`;
  const reason = `${check.reason}; fails for width, not for the estimate: Δ ${fmt(interval.estimate)} is within the margin but the interval's ${side}; about ${itemsNeeded} items (now ${interval.n}) would decide it (n·(h/d)², h = half-width ${fmt(halfWidth)}, d = distance ${fmt(distance)} from Δ to the margin; the half-width shrinks as 1/√n)`;
  return { ...check, reason, power };
}
