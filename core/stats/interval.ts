/** A two-sided confidence interval, `low ≤ high`, on the scale of the estimate. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Two-sided 95% normal quantile, Φ⁻¹(0.975), to the precision the references use. */
export const Z95 = 1.959964;
