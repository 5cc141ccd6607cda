import type { MeasurementRecord, TimingStats } from '../../core/run-record.js';

/** A `measured` measurement record. */
export type MeasuredRecord = Extract<MeasurementRecord, { state: 'measured' }>;

/** Standard normal quantiles, so a quantile distance of Gaussian samples estimates their sd. */
const Z: Readonly<Record<'p90Ms' | 'p95Ms' | 'p99Ms', number>> = { p90Ms: 1.2815515655446004, p95Ms: 1.6448536269514722, p99Ms: 2.3263478740408408 };

/**
 * The spread of one timed repeat (a decode step, a prefill pass) inside one measurement,
 * as a normal-consistent sd from the samples' own quantiles: (p90 − p50)/z₀.₉₀ for the
 * median and the mean, (pq − p50)/z_q for a tail percentile q (a tail moves more than the
 * middle). Null with fewer than two samples. The record keeps percentiles, not raw
 * samples, so this is the spread that is left to read.
 */
export function repeatSpreadMs(t: TimingStats, at: 'p50Ms' | 'p90Ms' | 'p95Ms' | 'p99Ms' = 'p50Ms'): number | null {
  if (t.samples < 2) return null;
  const q = at === 'p50Ms' ? 'p90Ms' : at;
  return Math.max(0, t[q] - t.p50Ms) / Z[q];
}

/** One figure of a measurement: how to read it and how much it wobbles within a run. */
export interface MeasureFigure {
  /** Column-style id, e.g. `decode_p50_ms` (also the history key `VARIANT/measure/ID`). */
  readonly id: string;
  readonly label: string;
  readonly unit: 'ms' | 'tokens/s' | 'bytes' | 'J' | 'J/token';
  readonly higherIsBetter: boolean;
  /** Tracked night to night by `compbench history`. */
  readonly history: boolean;
  read(m: MeasuredRecord): number;
  /** 3 × the spread of one repeat inside this measurement, or null when it has no repeats. */
  withinRun(m: MeasuredRecord): number | null;
}

const SIGMAS = 3;

function timing(stage: 'prefill' | 'decode', at: 'p50Ms' | 'p90Ms' | 'p95Ms' | 'p99Ms', history: boolean): MeasureFigure {
  const pct = at.slice(0, 3);
  return {
    id: `${stage}_${pct}_ms`,
    label: `${stage} ${pct} ms`,
    unit: 'ms',
    higherIsBetter: false,
    history,
    read: (m) => m[stage][at],
    withinRun: (m) => scaled(repeatSpreadMs(m[stage], at), 1),
  };
}

function scaled(spread: number | null, factor: number): number | null {
  return spread === null ? null : SIGMAS * spread * factor;
}

/** Every figure `compare` shows, in order; `history` tracks those marked. */
export const MEASURE_FIGURES: readonly MeasureFigure[] = [
  ...(['p50Ms', 'p90Ms', 'p95Ms', 'p99Ms'] as const).map((at) => timing('prefill', at, at === 'p50Ms')),
  ...(['p50Ms', 'p90Ms', 'p95Ms', 'p99Ms'] as const).map((at) => timing('decode', at, at === 'p50Ms' || at === 'p99Ms')),
  {
    id: 'tokens_per_s',
    label: 'decode tokens/s',
    unit: 'tokens/s',
    higherIsBetter: true,
    history: true,
    read: (m) => m.decode.tokensPerS,
    // tokens/s = 1000 / mean step: the steps' relative spread carries over.
    withinRun: (m) => (m.decode.meanMs > 0 ? scaled(repeatSpreadMs(m.decode), m.decode.tokensPerS / m.decode.meanMs) : null),
  },
  { id: 'peak_rss_bytes', label: 'peak RSS', unit: 'bytes', higherIsBetter: false, history: true, read: (m) => m.peakRssBytes, withinRun: () => null },
  { id: 'joules_per_token', label: 'energy J/token', unit: 'J/token', higherIsBetter: false, history: true, read: (m) => m.energy.joulesPerToken, withinRun: () => null },
  { id: 'energy_j', label: 'energy J', unit: 'J', higherIsBetter: false, history: false, read: (m) => m.energy.joules, withinRun: () => null },
];
