/**
 * Instances that are near-duplicates of one item (the counterfactual variants of a
 * sentence, the two dialects of a question) are not independent: resampling or counting
 * them as if they were gives intervals that are too narrow and p-values that are too
 * small. A suite names the field that groups them (suite.json `groupField`); these
 * helpers turn the group ids into resampling units and measure how much the grouping
 * costs (the design effect, Kish 1965).
 */

/** Instances partitioned into groups: the units a clustered bootstrap resamples. */
export interface Clusters {
  /** Number of instances. */
  readonly n: number;
  /** Member instance indices of each group; groups in first-seen order, members in instance order. */
  readonly members: readonly Int32Array[];
}

/** How grouping changed an interval or a test (recorded beside n). */
export interface ClusterInfo {
  /** Number of groups (the independent units). */
  readonly groups: number;
  /** Design effect: variance under grouping ÷ variance if the n instances were independent (≥ 1). */
  readonly designEffect: number;
  /** n ÷ design effect: the number of independent instances the data are worth. */
  readonly nEffective: number;
  /** How the interval accounts for groups: `group-bootstrap` resamples whole groups; `design-effect` is Wilson on nEffective. */
  readonly interval: 'group-bootstrap' | 'design-effect';
}

/**
 * Groups instances by id. An instance without a group id (undefined) is a group of
 * its own, so a suite without groups gives n singletons and every clustered statistic
 * reduces to the per-instance one.
 */
export function clustersOf(groupIds: ArrayLike<string | undefined>): Clusters {
  const byId = new Map<string, number[]>();
  const order: number[][] = [];
  for (let i = 0; i < groupIds.length; i++) {
    const id = groupIds[i];
    let members = id === undefined ? undefined : byId.get(id);
    if (!members) {
      members = [];
      order.push(members);
      if (id !== undefined) byId.set(id, members);
    }
    members.push(i);
  }
  return { n: groupIds.length, members: order.map((m) => Int32Array.from(m)) };
}

/** True when some group has more than one member (otherwise grouping changes nothing). */
export function isClustered(clusters: Clusters | undefined): clusters is Clusters {
  return clusters !== undefined && clusters.members.length < clusters.n;
}

/** The clusters restricted to `indices` (ascending instance indices), renumbered 0…indices.length−1. */
export function subsetClusters(clusters: Clusters, indices: ArrayLike<number>): Clusters {
  const position = new Map<number, number>();
  for (let i = 0; i < indices.length; i++) position.set(indices[i], i);
  const members: Int32Array[] = [];
  for (const group of clusters.members) {
    const kept = [...group].filter((m) => position.has(m)).map((m) => position.get(m)!);
    if (kept.length > 0) members.push(Int32Array.from(kept));
  }
  return { n: indices.length, members };
}

/**
 * Design effect of a linear statistic from its per-instance influence values e_i
 * (deviations from the estimate: y_i − ȳ for a mean, num_i − R·den_i for a ratio):
 *
 *   deff = [k/(k−1) · Σ_g (Σ_{i∈g} e_i)²] / [n/(n−1) · Σ_i e_i²]
 *
 * the cluster-robust (Rao & Scott 1992) over the independent-instance variance, with the
 * same small-sample factor on both sides so that singleton groups give exactly 1. It is
 * floored at 1 (grouping never buys precision here). With no variation (every e_i = 0)
 * the data cannot say how alike a group's members are, and the worst case is assumed:
 * deff = n/k, as if each group were one instance.
 */
export function designEffect(influence: ArrayLike<number>, clusters: Clusters): number {
  const n = clusters.n;
  const k = clusters.members.length;
  if (influence.length !== n) throw new RangeError(`designEffect: ${influence.length} influence values for ${n} instances`);
  if (k >= n) return 1;
  if (k < 2) return n;
  let within = 0;
  let between = 0;
  for (const group of clusters.members) {
    let sum = 0;
    for (let j = 0; j < group.length; j++) {
      const e = influence[group[j]];
      sum += e;
      within += e * e;
    }
    between += sum * sum;
  }
  if (!(within > 1e-300)) return n / k;
  return Math.max(1, ((k / (k - 1)) * between) / ((n / (n - 1)) * within));
}

/** {@link ClusterInfo} of a statistic from its influence values. */
export function clusterInfo(influence: ArrayLike<number>, clusters: Clusters, interval: ClusterInfo['interval']): ClusterInfo {
  const deff = designEffect(influence, clusters);
  return { groups: clusters.members.length, designEffect: deff, nEffective: clusters.n / deff, interval };
}
