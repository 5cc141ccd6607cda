import type { RulePower } from '../../core/run-record.js';
import type { FlipStats, PairedDelta, Summary } from '../../core/stats/index.js';
import { fmt } from './record-view.js';

/** The outcome of one check: the value tested against its bound, and why, in words. */
export interface Check {
  readonly value: number | null;
  readonly bound: number;
  readonly verdict: 'pass' | 'fail' | 'skip';
  readonly reason: string;
  /** The interval a non-inferiority check read (estimate, ends, n), for the power judgement. */
  readonly interval?: { readonly estimate: number; readonly low: number; readonly high: number; readonly n: number };
  /** The power judgement (reports/gate/power-check.ts). */
  readonly power?: RulePower;
}

/** A failed check whose value could not be read (fail-closed). */
export function failClosed(bound: number, reason: string): Check {
  return { value: null, bound, verdict: 'fail', reason };
}

function compare(value: number, op: '≥' | '≤' | '>' | '<', bound: number, detail: string): Check {
  const pass = op === '≥' ? value >= bound : op === '≤' ? value <= bound : op === '>' ? value > bound : value < bound;
  const shown = pass ? op : ({ '≥': '<', '≤': '>', '>': '≤', '<': '≥' } as const)[op];
  return { value, bound, verdict: pass ? 'pass' : 'fail', reason: `${fmt(value)} ${shown} ${fmt(bound)}${detail ? ` (${detail})` : ''}` };
}

/** floor: the value must be at least `min`, whatever the metric's direction. */
export function checkFloor(value: number, min: number): Check {
  return compare(value, '≥', min, 'floor');
}

/** ceiling: the value must be at most `max`, whatever the metric's direction. */
export function checkCeiling(value: number, max: number): Check {
  return compare(value, '≤', max, 'ceiling');
}

/**
 * relative_drop (Intel Neural Compressor's tolerable loss): value ≥ base·(1−tol) when
 * higher is better, value ≤ base·(1+tol) when lower is better.
 */
export function checkRelativeDrop(value: number, base: number, tolerance: number, higherIsBetter: boolean): Check {
  const bound = higherIsBetter ? base * (1 - tolerance) : base * (1 + tolerance);
  const pct = `${fmt(tolerance * 100)}%`;
  return compare(value, higherIsBetter ? '≥' : '≤', bound, `baseline ${fmt(base)} ${higherIsBetter ? '−' : '+'} ${pct}`);
}

/** absolute_drop: value ≥ base − tol when higher is better, value ≤ base + tol when lower is better. */
export function checkAbsoluteDrop(value: number, base: number, tolerance: number, higherIsBetter: boolean): Check {
  const bound = higherIsBetter ? base - tolerance : base + tolerance;
  return compare(value, higherIsBetter ? '≥' : '≤', bound, `baseline ${fmt(base)} ${higherIsBetter ? '−' : '+'} ${fmt(tolerance)}`);
}

/**
 * recovery (llm-compressor's nightly tests): variant/baseline ≥ ratio when higher is
 * better, baseline/variant ≥ ratio when lower is better. A zero denominator fails.
 */
export function checkRecovery(value: number, base: number, ratio: number, higherIsBetter: boolean): Check {
  const [num, den] = higherIsBetter ? [value, base] : [base, value];
  const what = higherIsBetter ? 'variant/baseline' : 'baseline/variant';
  if (!(den > 0)) return failClosed(ratio, `${what} is undefined: ${higherIsBetter ? 'baseline' : 'variant'} is ${fmt(den)}`);
  return compare(num / den, '≥', ratio, `recovery ${what} = ${fmt(value)} vs baseline ${fmt(base)}`);
}

/**
 * noninferiority on the paired 95% CI of Δ = variant − baseline: pass only if its lower
 * bound is above −margin (higher is better) or its upper bound below +margin (lower is better).
 */
export function checkNoninferiorityPaired(delta: PairedDelta, margin: number, higherIsBetter: boolean): Check {
  const ci = `paired 95% CI of Δ [${fmt(delta.low)}, ${fmt(delta.high)}], Δ ${fmt(delta.delta)}, n=${delta.n}`;
  if (!Number.isFinite(delta.low) || !Number.isFinite(delta.high)) return failClosed(higherIsBetter ? -margin : margin, `no interval of Δ (${ci})`);
  const interval = { estimate: delta.delta, low: delta.low, high: delta.high, n: delta.n };
  return { ...(higherIsBetter ? compare(delta.low, '>', -margin, ci) : compare(delta.high, '<', margin, ci)), interval };
}

/**
 * noninferiority on one slice, where the run record holds no paired statistics: the
 * interval of Δ is Newcombe's hybrid score interval for two independent estimates
 * (Newcombe 1998, method 10), from each side's own 95% interval:
 * Δ − √((v − v_low)² + (b_high − b)²) … Δ + √((v_high − v)² + (b − b_low)²).
 * Ignoring the pairing makes it wider than the paired interval: conservative.
 */
export function checkNoninferiorityUnpaired(variant: Summary, baseline: Summary, margin: number, higherIsBetter: boolean): Check {
  const v = variant.value!;
  const b = baseline.value!;
  const delta = v - b;
  const low = delta - Math.hypot(v - (variant.low ?? v), (baseline.high ?? b) - b);
  const high = delta + Math.hypot((variant.high ?? v) - v, b - (baseline.low ?? b));
  const ci = `unpaired (Newcombe) 95% CI of Δ [${fmt(low)}, ${fmt(high)}], Δ ${fmt(delta)}, n=${variant.n} vs ${baseline.n}`;
  const interval = { estimate: delta, low, high, n: variant.n };
  return { ...(higherIsBetter ? compare(low, '>', -margin, ci) : compare(high, '<', margin, ci)), interval };
}

/** max_flip_rate: right→wrong rate (default) or both directions, at most `max`. */
export function checkFlipRate(flips: FlipStats, max: number, which: 'right_to_wrong' | 'any'): Check {
  const value = which === 'any' ? flips.flipRate : flips.rightToWrongRate;
  const groupP = flips.clustered ? ` per instance, p ${fmt(flips.clustered.p)} over ${flips.clustered.groups} groups` : '';
  const detail =
    which === 'any'
      ? `flips ${flips.rightToWrong}+${flips.wrongToRight} of ${flips.n}, McNemar p ${fmt(flips.mcnemarP)}${groupP}`
      : `right→wrong ${flips.rightToWrong} of ${flips.n}, McNemar p ${fmt(flips.mcnemarP)}${groupP}`;
  return compare(value, '≤', max, detail);
}

/** A ceiling on a measured figure (latency in ms, memory in bytes). */
export function checkMeasured(value: number, max: number, detail: string): Check {
  return compare(value, '≤', max, detail);
}
