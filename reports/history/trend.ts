/**
 * The regression rule of `compbench history` (DESIGN.md §1, nightly regression: "flag a
 * change that is outside the run-to-run noise, not every wiggle").
 *
 * It is a Shewhart individuals control chart (Western Electric rule 1, NIST/SEMATECH
 * e-Handbook of Statistical Methods §6.3.2): the K values before the newest one define
 * a centre μ (their mean) and a noise level s (their sample standard deviation); the
 * newest value is out of control when it leaves μ ± h, with
 *
 *     h = max(3·s, newest value's own 95% CI half-width, floor),
 *     floor = max(absoluteFloor, relativeFloor·|μ|)  (defaults 1e-9 and 1%).
 *
 * The CI term keeps a change that the newest run cannot itself resolve (few instances)
 * from being flagged when the history happens to be perfectly stable (s = 0, e.g. a
 * deterministic evaluation); the floor does the same for values without a CI
 * (latency, memory). Leaving the band in the worse direction (down for higher-is-better
 * metrics, up for lower-is-better ones) is a REGRESSION; in the better direction an
 * IMPROVEMENT (reported, not flagged). Fewer than K prior values: insufficient history.
 */

/** One run's value of a series (oldest first); null when the cell errored or was absent. */
export interface TrendPoint {
  readonly value: number | null;
  /** Half the width of the value's own 95% interval, when it has one. */
  readonly ciHalfWidth: number | null;
}

/** Settings of {@link classifyTrend}. */
export interface TrendRule {
  /** Number of prior values that define the band (≥ 2). */
  readonly k: number;
  readonly higherIsBetter: boolean;
  /** Multiple of the prior values' standard deviation (default 3, as control charts). */
  readonly sigmas?: number;
  /** Floor of the band's half-width relative to |μ| (default 0.01). */
  readonly relativeFloor?: number;
  /** Absolute floor of the band's half-width (default 1e-9). */
  readonly absoluteFloor?: number;
}

/** The band that run-to-run noise defines, and which term set its width. */
export interface NoiseBand {
  /** Prior values used (the last k non-null ones before the newest). */
  readonly prior: number;
  readonly mean: number;
  readonly sd: number;
  readonly halfWidth: number;
  readonly low: number;
  readonly high: number;
  readonly widthFrom: 'noise' | 'ci' | 'floor';
}

/** The verdict on a series' newest value. */
export type TrendVerdict =
  | { readonly status: 'insufficient-history'; readonly prior: number; readonly k: number }
  | { readonly status: 'missing' }
  | { readonly status: 'ok' | 'regression' | 'improvement'; readonly newest: number; readonly band: NoiseBand };

/** Applies the control-chart rule above to a series (oldest first, newest last). */
export function classifyTrend(points: readonly TrendPoint[], rule: TrendRule): TrendVerdict {
  if (!Number.isInteger(rule.k) || rule.k < 2) throw new RangeError(`classifyTrend: k must be an integer ≥ 2, got ${rule.k}`);
  const newest = points.at(-1);
  if (newest === undefined || newest.value === null) return { status: 'missing' };
  const prior = points
    .slice(0, -1)
    .map((p) => p.value)
    .filter((v): v is number => v !== null)
    .slice(-rule.k);
  if (prior.length < rule.k) return { status: 'insufficient-history', prior: prior.length, k: rule.k };
  const band = noiseBand(prior, newest.ciHalfWidth, rule);
  const value = newest.value;
  const status = value >= band.low && value <= band.high ? 'ok' : value < band.low === rule.higherIsBetter ? 'regression' : 'improvement';
  return { status, newest: value, band };
}

/** μ ± max(σ-multiple, CI half-width, floor) over the prior values (see the module comment). */
export function noiseBand(prior: readonly number[], ciHalfWidth: number | null, rule: Omit<TrendRule, 'k' | 'higherIsBetter'>): NoiseBand {
  const n = prior.length;
  const mean = prior.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(prior.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const candidates: [number, NoiseBand['widthFrom']][] = [
    [(rule.sigmas ?? 3) * sd, 'noise'],
    [ciHalfWidth ?? 0, 'ci'],
    [Math.max(rule.absoluteFloor ?? 1e-9, (rule.relativeFloor ?? 0.01) * Math.abs(mean)), 'floor'],
  ];
  const [halfWidth, widthFrom] = candidates.reduce((best, c) => (c[0] > best[0] ? c : best));
  return { prior: n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth, widthFrom };
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line text sparkline of a series (`·` for a missing value), scaled to its own range. */
export function sparkline(values: readonly (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null);
  const min = Math.min(...present);
  const max = Math.max(...present);
  return values
    .map((v) => {
      if (v === null) return '·';
      if (!(max > min)) return BARS[3];
      return BARS[Math.min(BARS.length - 1, Math.floor(((v - min) / (max - min)) * BARS.length))];
    })
    .join('');
}
