/**
 * The rule behind "too few for its CI width" (DESIGN.md §6), one per metric type:
 * - shares in [0, 1] (0/1 proportions with their Wilson interval, bounded means such as
 *   token F1): the absolute width high − low, in the share's own units;
 * - unbounded positive metrics (perplexity and bits per byte, ratios of sums; NLL-like
 *   means such as word NLL and the likelihood difference): the relative width
 *   (high − low) / |value|, so a perplexity of 30 000 and one of 3 are held to the same
 *   fraction of their value. A wider interval in those terms is flagged whenever a
 *   narrower one is; a wider interval in raw units at a larger value may pass.
 * A summary is flagged when n < minN or its width exceeds maxCiWidth (the suite's, 0.2 by default).
 */

/** How a metric's intervals are judged too wide to trust. */
export interface CiWidthRule {
  /** `absolute`: high − low; `relative`: (high − low) / |value|. */
  readonly width: 'absolute' | 'relative';
  readonly maxCiWidth: number;
  /** Fewer instances than this flag the summary whatever its interval. */
  readonly minN: number;
}

/** The part of a summary the rule reads. */
export interface IntervalLike {
  readonly n: number;
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/** True when an interval of `width` around `value` is wider than the rule allows. */
export function exceedsCiWidth(width: number, value: number, rule: Pick<CiWidthRule, 'width' | 'maxCiWidth'>): boolean {
  const limit = rule.maxCiWidth * (rule.width === 'relative' ? Math.abs(value) : 1);
  return !(width <= limit);
}

/** The width the rule compares with maxCiWidth: high − low, or (high − low) / |value|; null without an interval. */
export function measuredCiWidth(s: IntervalLike, rule: Pick<CiWidthRule, 'width'>): number | null {
  if (s.value === null || s.low === null || s.high === null) return null;
  const width = s.high - s.low;
  return rule.width === 'relative' ? width / Math.abs(s.value) : width;
}

/** Why the rule flags a summary, in one line, or null when it does not. */
export function tooFewReason(s: IntervalLike, rule: CiWidthRule): string | null {
  if (s.n < rule.minN) return `n=${s.n} < ${rule.minN}`;
  if (s.value === null || s.low === null || s.high === null) return `no interval (n=${s.n})`;
  if (!exceedsCiWidth(s.high - s.low, s.value, rule)) return null;
  const w = measuredCiWidth(s, rule)!;
  return rule.width === 'relative'
    ? `relative CI width (high − low)/value = ${round(w)} > ${rule.maxCiWidth}`
    : `absolute CI width high − low = ${round(w)} > ${rule.maxCiWidth}`;
}

/** The rule in words, e.g. `relative CI width (high − low)/value ≤ 0.2, n ≥ 2`. */
export function describeCiWidthRule(rule: CiWidthRule): string {
  const what = rule.width === 'relative' ? 'relative CI width (high − low)/value' : 'absolute CI width high − low';
  return `${what} ≤ ${rule.maxCiWidth}, n ≥ ${rule.minN}`;
}

function round(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x);
}
