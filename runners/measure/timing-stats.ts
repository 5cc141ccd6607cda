import type { TimingStats } from '../../core/run-record.js';
import { quantileSorted } from '../../core/stats/quantile.js';

/** The percentiles a latency figure reports, with the interpolation used. */
export interface LatencyPercentiles {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/**
 * p50/p90/p95/p99 of `samplesMs` by linear interpolation between order statistics
 * (Hyndman & Fan type 7, as NumPy's default `np.percentile`), so a p99 over 64 samples
 * lies between the two slowest steps rather than being the slowest one.
 */
export function percentiles(samplesMs: readonly number[]): LatencyPercentiles {
  const sorted = Float64Array.from(samplesMs).sort();
  return {
    p50Ms: quantileSorted(sorted, 0.5),
    p90Ms: quantileSorted(sorted, 0.9),
    p95Ms: quantileSorted(sorted, 0.95),
    p99Ms: quantileSorted(sorted, 0.99),
  };
}

/** Sample count, mean and type-7 percentiles of timings in milliseconds (throws on an empty sample). */
export function timingStats(samplesMs: readonly number[]): TimingStats {
  if (samplesMs.length === 0) throw new RangeError('timingStats: no samples');
  let sum = 0;
  for (const x of samplesMs) sum += x;
  return { samples: samplesMs.length, meanMs: sum / samplesMs.length, ...percentiles(samplesMs) };
}
