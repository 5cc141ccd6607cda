import { bootstrapInterval } from '../../core/stats/bootstrap.js';
import { clustersOf } from '../../core/stats/clusters.js';
import type { InstanceLine } from '../load-run.js';
import type { BreakdownView } from '../record-view.js';

/** Resamples of the gap's bootstrap (fixed, with a fixed seed: the same instances give the same interval). */
export const GAP_RESAMPLES = 1000;

/** The gap between a variant's best and worst slice with its 95% interval. */
export interface SliceGap {
  readonly best: string;
  readonly worst: string;
  /** best − worst in the metric's better direction (≥ 0), as the record's maxGap. */
  readonly gap: number;
  readonly low: number;
  readonly high: number;
}

/** A suite's instance lines by variant, read once per suite (a run has tens of thousands of lines). */
export function linesByVariant(instances: readonly InstanceLine[], suiteId: string): Map<string, InstanceLine[]> {
  const out = new Map<string, InstanceLine[]>();
  for (const l of instances) {
    if (l.suiteId !== suiteId) continue;
    const list = out.get(l.variantId);
    if (list) list.push(l);
    else out.set(l.variantId, [l]);
  }
  return out;
}

/**
 * The 95% percentile-bootstrap interval of the gap between the best and the worst slice the
 * record names (the slices held fixed), from instances.jsonl: instances sorted by id, whole
 * groups (`groupId`, e.g. an item's counterfactual versions) resampled together, seed 0.
 * Null when the record has no gap, or when the mean of the instance scores does not give
 * the record's slice values (a metric that is not a mean of per-instance scores).
 */
export function sliceGapInterval(
  /** The variant's lines on the suite ({@link linesByVariant}). */
  cellLines: readonly InstanceLine[],
  metric: string,
  breakdown: BreakdownView | undefined,
  higherIsBetter: boolean,
): SliceGap | null {
  if (!breakdown?.worst || breakdown.maxGap === null) return null;
  const sign = higherIsBetter ? 1 : -1;
  const valued = breakdown.slices.filter((s) => s.value !== null);
  const best = valued.reduce((b, s) => (sign * s.value! > sign * b.value! ? s : b), valued[0]);
  const worst = breakdown.worst;
  const tag = breakdown.tag;
  const lines = cellLines
    .filter((l) => l.state === 'scored' && typeof l.scores?.[metric] === 'number' && (l.tags?.[tag] === best.slice || l.tags?.[tag] === worst.slice))
    .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
  if (lines.length === 0) return null;
  const scores = Float64Array.from(lines, (l) => l.scores![metric]);
  const inBest = Uint8Array.from(lines, (l) => Number(l.tags?.[tag] === best.slice));
  const gapAt = (indices: ArrayLike<number>): number => {
    let bs = 0, bn = 0, ws = 0, wn = 0;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (inBest[i]) (bs += scores[i]), bn++;
      else (ws += scores[i]), wn++;
    }
    return sign * (bs / bn - ws / wn);
  };
  const gap = gapAt(Int32Array.from(lines.keys()));
  if (!(Math.abs(gap - breakdown.maxGap) <= 1e-9 * Math.max(1, Math.abs(gap)))) return null;
  const clusters = clustersOf(lines.map((l) => l.groupId));
  const ci = bootstrapInterval(lines.length, gapAt, { resamples: GAP_RESAMPLES, seed: 0, clusters });
  if (!Number.isFinite(ci.low) || !Number.isFinite(ci.high)) return null;
  return { best: best.slice, worst: worst.slice, gap, low: ci.low, high: ci.high };
}
