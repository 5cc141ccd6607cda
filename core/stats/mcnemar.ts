import { clusteredFlipTest, type ClusteredFlipTest } from './cluster-test.js';
import { isClustered, type Clusters } from './clusters.js';

/**
 * McNemar's exact test (binomial form): under H0 the b + c discordant pairs split
 * 50:50, so the two-sided p-value is min(1, 2·P[X ≤ min(b, c)]) with X ~ Bin(b+c, ½).
 * Computed in log space so thousands of discordant pairs do not underflow.
 * `b`: right→wrong count, `c`: wrong→right count (the test is symmetric in them).
 */
export function mcnemarExactP(b: number, c: number): number {
  for (const [name, v] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`mcnemarExactP: ${name} must be a non-negative integer, got ${v}`);
  }
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  const logHalfN = -n * Math.LN2;
  // log C(n, i) by the recurrence C(n, i+1) = C(n, i)·(n−i)/(i+1); log-sum-exp of the tail.
  const logTerms: number[] = [];
  let logC = 0;
  for (let i = 0; i <= k; i++) {
    logTerms.push(logC + logHalfN);
    logC += Math.log(n - i) - Math.log(i + 1);
  }
  let top = -Infinity;
  for (const t of logTerms) top = Math.max(top, t);
  let sum = 0;
  for (const t of logTerms) sum += Math.exp(t - top);
  return Math.min(1, 2 * Math.exp(top + Math.log(sum)));
}

/** How correctness changed between a baseline and a variant on the same instances. */
export interface FlipStats {
  readonly n: number;
  readonly bothRight: number;
  readonly bothWrong: number;
  /** Baseline right, variant wrong (McNemar's b). */
  readonly rightToWrong: number;
  /** Baseline wrong, variant right (McNemar's c). */
  readonly wrongToRight: number;
  /** rightToWrong / n. */
  readonly rightToWrongRate: number;
  /** wrongToRight / n. */
  readonly wrongToRightRate: number;
  /** (rightToWrong + wrongToRight) / n: Dutta et al. 2024's "flips". */
  readonly flipRate: number;
  /** McNemar exact two-sided p-value, counting every instance as independent. */
  readonly mcnemarP: number;
  /** Present when instances come in groups: the same question asked of groups (exact sign-flip test); its p is the one to read. */
  readonly clustered?: ClusteredFlipTest;
}

/**
 * Flip counts and rates (as a share of all n instances, following Dutta et al. 2024,
 * "Accuracy is Not All You Need") and McNemar's exact p-value. A score counts as right
 * when it is ≥ 0.5, so 0/1 scores and booleans both work. With `clusters` that group
 * near-duplicate instances, `clustered` adds the group-level test.
 */
export function flipStats(
  baselineCorrect: ArrayLike<number | boolean>,
  variantCorrect: ArrayLike<number | boolean>,
  clusters?: Clusters,
): FlipStats {
  if (baselineCorrect.length !== variantCorrect.length) {
    throw new RangeError(`flipStats: baseline has ${baselineCorrect.length} items, variant ${variantCorrect.length}`);
  }
  const n = baselineCorrect.length;
  let bothRight = 0;
  let bothWrong = 0;
  let rightToWrong = 0;
  let wrongToRight = 0;
  for (let i = 0; i < n; i++) {
    const before = Number(baselineCorrect[i]) >= 0.5;
    const after = Number(variantCorrect[i]) >= 0.5;
    if (before && after) bothRight++;
    else if (!before && !after) bothWrong++;
    else if (before) rightToWrong++;
    else wrongToRight++;
  }
  const rate = (count: number): number => (n === 0 ? 0 : count / n);
  return {
    n,
    bothRight,
    bothWrong,
    rightToWrong,
    wrongToRight,
    rightToWrongRate: rate(rightToWrong),
    wrongToRightRate: rate(wrongToRight),
    flipRate: rate(rightToWrong + wrongToRight),
    mcnemarP: mcnemarExactP(rightToWrong, wrongToRight),
    ...(isClustered(clusters) ? { clustered: clusteredFlipTest(baselineCorrect, variantCorrect, clusters) } : {}),
  };
}
