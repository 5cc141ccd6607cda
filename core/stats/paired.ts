import { bootstrapEstimate, mean, meanAt, type BootstrapOptions } from './bootstrap.js';
import { clusterInfo, isClustered, type ClusterInfo } from './clusters.js';

/** Difference of means of a variant and its baseline on the same instances. */
export interface PairedDelta {
  /** Number of paired instances. */
  readonly n: number;
  readonly baselineMean: number;
  readonly variantMean: number;
  /** mean(variant) − mean(baseline). */
  readonly delta: number;
  /** Percentile-bootstrap interval of `delta` (instances resampled jointly). */
  readonly low: number;
  readonly high: number;
  /** Bootstrap standard error of `delta`: the SD of the replicates the interval is read from (absent in records written before it was recorded). */
  readonly se?: number;
  /** Present when instances come in groups: the interval resampled whole groups; groups, design effect and effective n. */
  readonly clustering?: ClusterInfo;
}

/**
 * Δ = mean(variant) − mean(baseline) over the same instances, with a paired bootstrap
 * interval: each resample draws instance indices once and reads both arrays through
 * them, so the between-instance variance that both models share cancels. On the same
 * items this interval is much narrower than one from two independent resamples.
 * `baseline[i]` and `variant[i]` must be scores of the same instance. With
 * `options.clusters` whole groups of near-duplicates are resampled (both runs read the
 * same drawn groups), and `clustering` records the effective n of the differences.
 */
export function pairedDelta(
  baseline: ArrayLike<number>,
  variant: ArrayLike<number>,
  options: BootstrapOptions = {},
): PairedDelta {
  if (baseline.length !== variant.length) {
    throw new RangeError(`pairedDelta: baseline has ${baseline.length} scores, variant ${variant.length}; pair them by instance first`);
  }
  const n = baseline.length;
  if (n === 0) throw new RangeError('pairedDelta: no paired instances');
  const baselineMean = mean(baseline);
  const variantMean = mean(variant);
  const delta = variantMean - baselineMean;
  const ci = bootstrapEstimate(n, (idx) => meanAt(variant, idx) - meanAt(baseline, idx), options);
  const out: PairedDelta = { n, baselineMean, variantMean, delta, low: ci.low, high: ci.high, se: ci.se };
  if (!isClustered(options.clusters)) return out;
  const influence = Array.from({ length: n }, (_, i) => variant[i] - baseline[i] - delta);
  return { ...out, clustering: clusterInfo(influence, options.clusters, 'group-bootstrap') };
}
