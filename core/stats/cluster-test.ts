import type { Clusters } from './clusters.js';

/**
 * Exact two-sided sign-flip (randomization) test of Σ_g d_g = 0 for integer per-group
 * differences d_g: under H0 each group's d_g is as likely to be +d_g as −d_g, so the
 * null distribution of S = Σ ±d_g is enumerated by dynamic programming over the integer
 * sums (no sampling, no seed). p = P(|S| ≥ |S_obs|). Groups with d_g = 0 do not move S.
 */
export function signFlipExactP(differences: readonly number[]): number {
  let total = 0;
  let observed = 0;
  for (const d of differences) {
    if (!Number.isInteger(d)) throw new RangeError(`signFlipExactP: differences must be integers, got ${d}`);
    total += Math.abs(d);
    observed += d;
  }
  if (total === 0) return 1;
  // prob[s + total] = P(S = s) over the groups folded in so far.
  let prob = new Float64Array(2 * total + 1);
  prob[total] = 1;
  let reach = 0;
  for (const d of differences) {
    const a = Math.abs(d);
    if (a === 0) continue;
    const next = new Float64Array(prob.length);
    for (let s = total - reach; s <= total + reach; s++) {
      const p = prob[s];
      if (p === 0) continue;
      next[s - a] += p / 2;
      next[s + a] += p / 2;
    }
    prob = next;
    reach += a;
  }
  const threshold = Math.abs(observed);
  let tail = 0;
  for (let s = -total; s <= total; s++) if (Math.abs(s) >= threshold) tail += prob[s + total];
  return Math.min(1, tail);
}

/** The clustered paired test of two 0/1 outcomes on the same instances. */
export interface ClusteredFlipTest {
  /** Groups (independent units) the test counted. */
  readonly groups: number;
  /** Groups with any discordant instance. */
  readonly discordantGroups: number;
  /** Exact two-sided sign-flip p over groups of d_g = (right→wrong − wrong→right in group g). */
  readonly p: number;
}

/**
 * McNemar's question asked of groups instead of instances: within each group of
 * near-duplicates, d_g = (right→wrong) − (wrong→right); under H0 (the two models are
 * exchangeable on every item) each d_g is symmetric about 0, and the exact sign-flip
 * test over groups ({@link signFlipExactP}) gives p. Unlike the per-instance McNemar it
 * does not treat 12 counterfactual variants of one sentence as 12 independent flips.
 * With groups of one it equals McNemar's exact test (the sum of b + c random signs is
 * 2·Bin(b+c, ½) − (b+c)).
 */
export function clusteredFlipTest(
  baselineCorrect: ArrayLike<number | boolean>,
  variantCorrect: ArrayLike<number | boolean>,
  clusters: Clusters,
): ClusteredFlipTest {
  if (baselineCorrect.length !== variantCorrect.length || clusters.n !== baselineCorrect.length) {
    throw new RangeError(`clusteredFlipTest: ${baselineCorrect.length} baseline, ${variantCorrect.length} variant outcomes, ${clusters.n} clustered instances`);
  }
  const differences = clusters.members.map((group) => {
    let d = 0;
    for (const i of group) {
      const before = Number(baselineCorrect[i]) >= 0.5;
      const after = Number(variantCorrect[i]) >= 0.5;
      if (before && !after) d++;
      else if (!before && after) d--;
    }
    return d;
  });
  const discordantGroups = clusters.members.filter((group) => group.some((i) => (Number(baselineCorrect[i]) >= 0.5) !== (Number(variantCorrect[i]) >= 0.5))).length;
  return { groups: clusters.members.length, discordantGroups, p: signFlipExactP(differences) };
}
