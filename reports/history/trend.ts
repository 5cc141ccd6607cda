/**
 * The noise band of a measured figure (latency, memory, energy) across nights: DESIGN.md
 * §1, "flag a change that is outside the run-to-run noise, not every wiggle".
 *
 * A Shewhart individuals chart (Western Electric rule 1, NIST/SEMATECH e-Handbook
 * §6.3.2) whose noise comes only from real repeats: the centre μ is the mean of the last
 * K values that were really measured (a figure replayed from the measurement cache
 * repeats an earlier one, so it is skipped), and the half-width is
 *
 *     h = max(3·s over ≥ 2 measured nights, the within-run half-width, floor),
 *
 * where the within-run half-width is the largest that the repeats inside the newest and
 * the measured prior nights give (decode steps, prefill passes; reports/compare/measure-figures.ts)
 * and floor = max(absoluteFloor, relativeFloor·|μ|). With neither source of real repeats
 * (one measured night and a figure with no within-run repeats, such as peak RSS) the
 * verdict is `insufficient-history`, never a flag: a band built from replays alone
 * (s = 0) would flag every honest re-measurement. A figure without within-run repeats
 * is judged only from minNights (default 3) measured nights on.
 */

/** One night's value of a series (oldest first); null when the night lacks it. */
export interface TrendPoint {
  readonly value: number | null;
  /** True when the value was replayed from a cache rather than measured that night. */
  readonly replayed?: boolean;
  /** ± this much is the spread of the repeats inside that night's own measurement (null: none). */
  readonly withinRunHalfWidth?: number | null;
}

/** Settings of {@link classifyTrend}. */
export interface TrendRule {
  /** At most this many measured prior values set the centre and the nights' sd (≥ 2). */
  readonly k: number;
  readonly higherIsBetter: boolean;
  /** Multiple of the measured nights' standard deviation (default 3, as control charts). */
  readonly sigmas?: number;
  /** Measured prior nights needed to judge a figure that has no within-run repeats (default 3). */
  readonly minNights?: number;
  /** Floor of the half-width relative to |μ| (default 0.01). */
  readonly relativeFloor?: number;
  /** Absolute floor of the half-width (default 1e-9). */
  readonly absoluteFloor?: number;
}

/** Which repeats set a band's width. */
export type BandSource = 'nights' | 'within-run' | 'floor';

/** The band that real repeats define, and which term set its width. */
export interface NoiseBand {
  /** Measured prior values used for the centre and the sd. */
  readonly measured: number;
  /** Prior values skipped because they were replays. */
  readonly replayedSkipped: number;
  readonly mean: number;
  /** Sample sd of the measured prior values (null with one). */
  readonly sd: number | null;
  readonly withinRun: number | null;
  readonly halfWidth: number;
  readonly low: number;
  readonly high: number;
  readonly widthFrom: BandSource;
}

/** The verdict on a series' newest value. */
export type TrendVerdict =
  | { readonly status: 'insufficient-history'; readonly measured: number; readonly needed: number; readonly replayedSkipped: number }
  | { readonly status: 'missing' }
  | { readonly status: 'ok' | 'regression' | 'improvement'; readonly newest: number; readonly replayed: boolean; readonly band: NoiseBand };

/** Applies the rule above to a series (oldest first, newest last). */
export function classifyTrend(points: readonly TrendPoint[], rule: TrendRule): TrendVerdict {
  if (!Number.isInteger(rule.k) || rule.k < 2) throw new RangeError(`classifyTrend: k must be an integer ≥ 2, got ${rule.k}`);
  const newest = points.at(-1);
  if (newest === undefined || newest.value === null) return { status: 'missing' };
  const earlier = points.slice(0, -1).filter((p) => p.value !== null);
  const measuredPoints = earlier.filter((p) => p.replayed !== true).slice(-rule.k);
  const replayedSkipped = earlier.length - earlier.filter((p) => p.replayed !== true).length;
  const needed = rule.minNights ?? 3;
  const withinRun = maxOrNull([newest.withinRunHalfWidth, ...measuredPoints.map((p) => p.withinRunHalfWidth)]);
  if (measuredPoints.length === 0 || (measuredPoints.length < needed && withinRun === null)) {
    return { status: 'insufficient-history', measured: measuredPoints.length, needed, replayedSkipped };
  }
  const band = noiseBand(
    measuredPoints.map((p) => p.value as number),
    withinRun,
    replayedSkipped,
    rule,
  );
  const value = newest.value;
  const status = value >= band.low && value <= band.high ? 'ok' : value < band.low === rule.higherIsBetter ? 'regression' : 'improvement';
  return { status, newest: value, replayed: newest.replayed === true, band };
}

/** μ ± max(σ-multiple over the measured nights, within-run half-width, floor). */
export function noiseBand(measured: readonly number[], withinRun: number | null, replayedSkipped: number, rule: Omit<TrendRule, 'k' | 'higherIsBetter' | 'minNights'>): NoiseBand {
  const n = measured.length;
  const mean = measured.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(measured.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : null;
  const candidates: [number, BandSource][] = [[Math.max(rule.absoluteFloor ?? 1e-9, (rule.relativeFloor ?? 0.01) * Math.abs(mean)), 'floor']];
  if (sd !== null) candidates.push([(rule.sigmas ?? 3) * sd, 'nights']);
  if (withinRun !== null) candidates.push([withinRun, 'within-run']);
  const [halfWidth, widthFrom] = candidates.reduce((best, c) => (c[0] > best[0] ? c : best));
  return { measured: n, replayedSkipped, mean, sd, withinRun, halfWidth, low: mean - halfWidth, high: mean + halfWidth, widthFrom };
}

function maxOrNull(values: readonly (number | null | undefined)[]): number | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return present.length === 0 ? null : Math.max(...present);
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
