import { summarizeScores, type Summary, type SummaryOptions } from './summary.js';

/** One instance's score with its slice tags and, for counterfactual variants, its item. */
export interface TaggedScore {
  readonly score: number;
  readonly tags?: Readonly<Record<string, string>>;
  /** Instances sharing a groupId are counterfactual variants of one item. */
  readonly groupId?: string;
}

/** The summary of one slice, e.g. tag `dialect`, slice `scots`. */
export interface SliceSummary extends Summary {
  readonly tag: string;
  readonly slice: string;
}

/** Per-slice summaries of one tag, the worst slice and the largest gap between slices. */
export interface SliceBreakdown {
  readonly tag: string;
  /** Slices in ascending order of their name. */
  readonly slices: readonly SliceSummary[];
  /** The slice with the lowest value (highest when lower is better); null with no slices. */
  readonly worst: SliceSummary | null;
  /** Best slice value − worst slice value; null with fewer than two slices. */
  readonly maxGap: number | null;
  /** Instances that carry no value for this tag (not in any slice). */
  readonly untagged: number;
}

/** Settings of {@link sliceBreakdown}. */
export interface SliceOptions extends SummaryOptions {
  /** false for metrics such as perplexity, where the worst slice is the highest (default true). */
  readonly higherIsBetter?: boolean;
}

/**
 * Aggregates per slice (statistics keyed by slice, as HELM does): instances are grouped
 * by the value of `tag` and each slice gets a value, n and interval from
 * {@link summarizeScores}. The worst slice is picked among all slices, flagged ones
 * included: its `tooFew` says whether to trust it.
 */
export function sliceBreakdown(items: readonly TaggedScore[], tag: string, options: SliceOptions = {}): SliceBreakdown {
  return sliceBreakdownWith(items, tag, (members) => summarizeScores(members.map((m) => m.score), options), options.higherIsBetter);
}

/**
 * {@link sliceBreakdown} with a caller's summary of each slice's members, for metrics
 * that are not a mean of per-instance scores (perplexity is a ratio of sums).
 */
export function sliceBreakdownWith<T extends { readonly tags?: Readonly<Record<string, string>> }>(
  items: readonly T[],
  tag: string,
  summarize: (members: readonly T[]) => Summary,
  higherIsBetter = true,
): SliceBreakdown {
  const bySlice = new Map<string, T[]>();
  let untagged = 0;
  for (const item of items) {
    const slice = item.tags?.[tag];
    if (slice === undefined) {
      untagged++;
      continue;
    }
    let members = bySlice.get(slice);
    if (!members) bySlice.set(slice, (members = []));
    members.push(item);
  }
  const slices = [...bySlice.keys()].sort().map((slice): SliceSummary => ({ tag, slice, ...summarize(bySlice.get(slice)!) }));
  const sign = higherIsBetter ? 1 : -1;
  let worst: SliceSummary | null = null;
  let best: SliceSummary | null = null;
  for (const s of slices) {
    if (s.value === null) continue;
    if (worst === null || sign * s.value < sign * worst.value!) worst = s;
    if (best === null || sign * s.value > sign * best.value!) best = s;
  }
  const maxGap = slices.length < 2 || worst === null ? null : Math.abs(best!.value! - worst.value!);
  return { tag, slices, worst, maxGap, untagged };
}

/** One item's worst case over its counterfactual variants. */
export interface GroupScore {
  readonly groupId: string;
  /** Minimum score over the group's variants (for 0/1: correct only if all are). */
  readonly score: number;
  /** Number of variants in the group. */
  readonly variants: number;
}

/**
 * HELM's worst case over perturbations: instances sharing a `groupId` are variants of
 * one item, and the item scores the minimum over them (0/1 scores: right only if every
 * variant is right). Instances without a groupId form groups of one, keyed by their
 * position. Groups come back in first-seen order.
 */
export function worstCaseByGroup(items: readonly TaggedScore[]): GroupScore[] {
  const groups = new Map<string, { score: number; variants: number }>();
  items.forEach((item, i) => {
    const id = item.groupId ?? `#${i}`;
    const g = groups.get(id);
    if (g) {
      g.score = Math.min(g.score, item.score);
      g.variants++;
    } else groups.set(id, { score: item.score, variants: 1 });
  });
  return [...groups].map(([groupId, g]) => ({ groupId, score: g.score, variants: g.variants }));
}

/** {@link summarizeScores} over the worst case of each counterfactual group. */
export function summarizeWorstCase(items: readonly TaggedScore[], options: SummaryOptions = {}): Summary {
  return summarizeScores(worstCaseByGroup(items).map((g) => g.score), options);
}
