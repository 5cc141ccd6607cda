/**
 * The q-quantile of an ascending-sorted sample by linear interpolation between order
 * statistics: Hyndman & Fan (1996) type 7, the default of R's `quantile` and NumPy's
 * `np.quantile`, so intervals can be checked against either.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileSorted: empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantileSorted: q must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
