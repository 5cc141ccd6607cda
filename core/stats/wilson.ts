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
  return wilsonIntervalEffective(successes / n, n, z);
}

/**
 * Wilson interval of a proportion `p` estimated from clustered data, on the effective
 * sample size n/deff (Korn & Graubard 1998; Rao & Scott 1992): the binomial variance
 * p(1−p)/n is inflated by the design effect, the rest of Wilson's formula is unchanged.
 * `nEffective` need not be an integer.
 */
export function wilsonIntervalEffective(p: number, nEffective: number, z: number = Z95): Interval {
  if (!(nEffective > 0)) throw new RangeError(`wilsonIntervalEffective: nEffective must be positive, got ${nEffective}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`wilsonIntervalEffective: p must be in [0, 1], got ${p}`);
  const n = nEffective;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At p = 0 and p = 1 the bound is exactly 0 or 1; pin it against rounding residue.
  return { low: p === 0 ? 0 : Math.max(0, center - half), high: p === 1 ? 1 : Math.min(1, center + half) };
}
