import { clustersOf } from '../../core/stats/clusters.js';
import { flipStats, type FlipStats } from '../../core/stats/mcnemar.js';
import { pairedDelta, type PairedDelta } from '../../core/stats/paired.js';
import type { InstanceLine } from './load-run.js';

/** How a cell's instances in run A line up with those in run B. */
export interface InstancePairing {
  /** Instances with the same id and hash, scored in both runs with this metric: the paired sample. */
  readonly matched: number;
  /** Same id but a different instanceHash: the data changed, so they are not paired. */
  readonly hashChanged: number;
  readonly onlyA: number;
  readonly onlyB: number;
  /** Same id and hash, but errored (or unscored for this metric) in at least one run. */
  readonly erroredEither: number;
  /** Scored in A, and absent from B or not scored there: what B lost (history flags it). */
  readonly lostInB: number;
}

/** Paired statistics of one cell × metric between run A and run B (Δ = B − A). */
export interface PairedCellStats {
  readonly pairing: InstancePairing;
  /** Paired bootstrap Δ of the per-instance mean score (null without matched instances). */
  readonly delta: PairedDelta | null;
  /** Flips and McNemar's exact p, for 0/1 metrics (null otherwise or without matches). */
  readonly flips: FlipStats | null;
}

/** Settings of {@link pairCell}. */
export interface PairCellOptions {
  /** Bootstrap seed (default 0) and resamples (default 2000). */
  readonly seed?: number;
  readonly resamples?: number;
  /** Run McNemar and flip counts (set for metrics aggregated with a Wilson interval). */
  readonly binary: boolean;
}

/**
 * Pairs the instances of cell (variant, suite) between two runs by instanceId AND
 * instanceHash, then computes the paired bootstrap Δ (B − A, instances resampled
 * jointly) and, for 0/1 metrics, flips (A right → B wrong = McNemar's b) and McNemar's
 * exact p. Instances that do not pair are counted, never silently mixed in.
 */
export function pairCell(
  a: readonly InstanceLine[],
  b: readonly InstanceLine[],
  cell: { readonly variantId: string; readonly suiteId: string; readonly metric: string },
  options: PairCellOptions,
): PairedCellStats {
  const mine = (l: InstanceLine): boolean => l.variantId === cell.variantId && l.suiteId === cell.suiteId;
  const byIdB = new Map(b.filter(mine).map((l) => [l.instanceId, l]));
  const scoresA: number[] = [];
  const scoresB: number[] = [];
  const groups: (string | undefined)[] = [];
  let hashChanged = 0;
  let onlyA = 0;
  let erroredEither = 0;
  let lostInB = 0;
  const seen = new Set<string>();
  for (const la of a.filter(mine)) {
    seen.add(la.instanceId);
    const lb = byIdB.get(la.instanceId);
    const scoredInA = la.state === 'scored' && la.scores[cell.metric] !== undefined;
    if (scoredInA && (lb === undefined || lb.state !== 'scored' || lb.scores[cell.metric] === undefined)) lostInB++;
    if (lb === undefined) onlyA++;
    else if (lb.instanceHash !== la.instanceHash) hashChanged++;
    else {
      const sa = la.state === 'scored' ? la.scores[cell.metric] : undefined;
      const sb = lb.state === 'scored' ? lb.scores[cell.metric] : undefined;
      if (sa === undefined || sb === undefined) erroredEither++;
      else {
        scoresA.push(sa);
        scoresB.push(sb);
        groups.push(la.groupId);
      }
    }
  }
  let onlyB = 0;
  for (const id of byIdB.keys()) if (!seen.has(id)) onlyB++;
  const pairing = { matched: scoresA.length, hashChanged, onlyA, onlyB, erroredEither, lostInB };
  if (scoresA.length === 0) return { pairing, delta: null, flips: null };
  const clusters = clustersOf(groups);
  return {
    pairing,
    // pairedDelta(baseline, variant) = mean(variant) − mean(baseline): A is the baseline here.
    // Near-duplicates (counterfactual variants of one item) are resampled and tested as whole groups.
    delta: pairedDelta(scoresA, scoresB, { seed: options.seed ?? 0, resamples: options.resamples, clusters }),
    flips: options.binary ? flipStats(scoresA, scoresB, clusters) : null,
  };
}
