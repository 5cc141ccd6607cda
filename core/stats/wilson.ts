import { Z95, type Interval } from './interval.js';

/**
 * Wilson score interval for a binomial proportion `successes / n` (Wilson 1927;
 * Newcombe 1998 "method 3"). Unlike the Wald interval it stays inside [0, 1] and keeps
 * near-nominal coverage at small n and at p near 0 or 1 (Brown, Cai & DasGupta 2001).
 * With n = 0 nothing is known and the interval is [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z: number = Z95): Interval {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`wilsonInterval: n must be a non-negative integer, got ${n}`);
  if (!(successes >= 0 && successes <= n)) {
    throw new RangeError(`wilsonInterval: successes must be in [0, n=${n}], got ${successes}`);
  }
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 and k = n the bound is exactly 0 or 1; pin it against rounding residue.
  return {
    low: successes === 0 ? 0 : Math.max(0, center - half),
    high: successes === n ? 1 : Math.min(1, center + half),
  };
}
