import type { Interval } from './interval.js';
import { createRng } from '../rng.js';
import { isClustered, type Clusters } from './clusters.js';
import { quantileSorted } from './quantile.js';

/** Settings of a percentile bootstrap. */
export interface BootstrapOptions {
  /** Number of resamples (default 2000). */
  readonly resamples?: number;
  /** PRNG seed: same seed, same interval (default 0). */
  readonly seed?: number;
  /** Coverage of the two-sided interval (default 0.95). */
  readonly level?: number;
  /**
   * Groups of near-duplicate instances: each resample draws whole groups with
   * replacement (as many as there are groups) instead of instances.
   */
  readonly clusters?: Clusters;
}

/** Default number of bootstrap resamples. */
export const DEFAULT_RESAMPLES = 2000;

/**
 * Percentile bootstrap interval (Efron & Tibshirani 1993, ch. 13) of any statistic of
 * n units: draws `resamples` index vectors of length n with replacement from a seeded
 * PRNG, evaluates `statistic` on each, and returns the (1−level)/2 and (1+level)/2
 * quantiles (type 7) of the replicates. The statistic receives the resampled unit
 * indices, so callers that resample several arrays jointly (paired data, ratios of
 * sums) pass one function that reads all of them through the same indices.
 *
 * With `options.clusters` it is the cluster (group) bootstrap (Davison & Hinkley 1997,
 * §3.8, strategy 1): each resample draws k of the k groups with replacement and passes
 * the members of the drawn groups, in draw order, so the index vector's length varies.
 * The draws are the same stream as the per-instance bootstrap, so singleton groups give
 * the same interval to the last bit.
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Int32Array) => number,
  options: BootstrapOptions = {},
): Interval {
  const { low, high } = bootstrapEstimate(n, statistic, options);
  return { low, high };
}

/** A bootstrap interval with the standard error of the statistic. */
export interface BootstrapEstimate extends Interval {
  /** Standard deviation of the bootstrap replicates (n − 1 divisor): the bootstrap standard error. */
  readonly se: number;
}

/**
 * {@link bootstrapInterval} plus the bootstrap standard error (Efron & Tibshirani 1993,
 * ch. 6): the standard deviation of the same replicates the interval is read from, so
 * interval and SE come from one draw and the interval is the same to the last bit.
 */
export function bootstrapEstimate(
  n: number,
  statistic: (indices: Int32Array) => number,
  options: BootstrapOptions = {},
): BootstrapEstimate {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrapInterval: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`bootstrapInterval: options.resamples must be a positive integer, got ${resamples}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrapInterval: options.level must be in (0, 1), got ${level}`);
  const rng = createRng(options.seed ?? 0);
  const replicates = new Float64Array(resamples);
  const clusters = options.clusters;
  if (clusters !== undefined && clusters.n !== n) throw new RangeError(`bootstrapInterval: options.clusters covers ${clusters.n} instances, not n=${n}`);
  if (isClustered(clusters)) {
    const groups = clusters.members;
    let largest = 0;
    for (const g of groups) largest = Math.max(largest, g.length);
    const buffer = new Int32Array(groups.length * largest);
    for (let b = 0; b < resamples; b++) {
      let length = 0;
      for (let j = 0; j < groups.length; j++) {
        const group = groups[rng.int(groups.length)];
        buffer.set(group, length);
        length += group.length;
      }
      replicates[b] = statistic(buffer.subarray(0, length));
    }
  } else {
    const indices = new Int32Array(n);
    for (let b = 0; b < resamples; b++) {
      for (let i = 0; i < n; i++) indices[i] = rng.int(n);
      replicates[b] = statistic(indices);
    }
  }
  replicates.sort();
  const alpha = (1 - level) / 2;
  return { low: quantileSorted(replicates, alpha), high: quantileSorted(replicates, 1 - alpha), se: standardDeviation(replicates) };
}

function standardDeviation(values: Float64Array): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - m) ** 2;
  return Math.sqrt(ss / (values.length - 1));
}

/** Arithmetic mean of `values` at `indices`. */
export function meanAt(values: ArrayLike<number>, indices: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < indices.length; i++) sum += values[indices[i]];
  return sum / indices.length;
}

/** Arithmetic mean (NaN for an empty array). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Seeded percentile bootstrap interval of the mean of `values`. */
export function bootstrapMeanInterval(values: ArrayLike<number>, options: BootstrapOptions = {}): Interval {
  return bootstrapInterval(values.length, (idx) => meanAt(values, idx), options);
}
