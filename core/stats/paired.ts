import { bootstrapInterval, mean, meanAt, type BootstrapOptions } from './bootstrap.js';

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
}

/**
 * Δ = mean(variant) − mean(baseline) over the same instances, with a paired bootstrap
 * interval: each resample draws instance indices once and reads both arrays through
 * them, so the between-instance variance that both models share cancels. On the same
 * items this interval is much narrower than one from two independent resamples.
 * `baseline[i]` and `variant[i]` must be scores of the same instance.
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
  const ci = bootstrapInterval(n, (idx) => meanAt(variant, idx) - meanAt(baseline, idx), options);
  return { n, baselineMean, variantMean, delta: variantMean - baselineMean, low: ci.low, high: ci.high };
}
