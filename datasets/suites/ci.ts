/**
 * The expected precision of a suite of n items, stated in its description and README:
 * the half-width of the Wilson 95% interval at an accuracy of 0.5 and of 0.8.
 */
import { wilsonInterval } from '../../core/stats/wilson.js';

/** Half-width of the Wilson 95% interval for a proportion `p` over `n` items. */
export function wilsonHalfWidth(n: number, p: number): number {
  const { low, high } = wilsonInterval(p * n, n);
  return (high - low) / 2;
}

/** "n=300; Wilson 95% CI half-width ±0.056 at p=0.5, ±0.045 at p=0.8". */
export function precisionNote(n: number): string {
  return `n=${n}; Wilson 95% CI half-width ±${wilsonHalfWidth(n, 0.5).toFixed(3)} at p=0.5, ±${wilsonHalfWidth(n, 0.8).toFixed(3)} at p=0.8`;
}

/**
 * The precision of n instances that come in `groups` groups of near-duplicates (suite.json
 * `groupField`): intervals count groups, so the effective n lies between the number of
 * groups (members that always agree) and n (members as good as independent).
 */
export function clusteredPrecisionNote(n: number, groups: number): string {
  return `n=${n} in ${groups} groups (groupField group_id): intervals resample groups, so the effective n lies between ${groups} and ${n}; Wilson 95% CI half-width at p=0.5 between ±${wilsonHalfWidth(n, 0.5).toFixed(3)} and ±${wilsonHalfWidth(groups, 0.5).toFixed(3)}`;
}
