/**
 * Seeded assignment of corpus frequencies to facts and target words. A fact's count
 * is the exact number of corpus lines that state or ask it; the minority dialect gets
 * about a tenth of the majority's share of each fact.
 */
import { type Rng, shuffled } from './rng.js';

/** Frequency buckets, by the exact count in the training corpus. */
export const FREQ_BUCKETS = [
  { id: '100+', min: 100, max: Number.POSITIVE_INFINITY },
  { id: '20-99', min: 20, max: 99 },
  { id: '5-19', min: 5, max: 19 },
  { id: '1-4', min: 1, max: 4 },
  { id: '0', min: 0, max: 0 },
] as const;
/** One bucket id. */
export type FreqBucket = (typeof FREQ_BUCKETS)[number]['id'];

/** The bucket a count falls in. */
export function bucketOf(count: number): FreqBucket {
  for (const b of FREQ_BUCKETS) if (count >= b.min && count <= b.max) return b.id;
  return '0';
}

/** A share of items and the inclusive count range they draw from. */
export interface CountPlan {
  share: number;
  min: number;
  max: number;
}

/** Facts: 30% common (20–60 lines), 20% medium (5–19), 50% rare (1–4). */
export const FACT_COUNT_PLAN: readonly CountPlan[] = [
  { share: 0.3, min: 20, max: 60 },
  { share: 0.2, min: 5, max: 19 },
  { share: 0.5, min: 1, max: 4 },
];

/** Target words: a quarter each in 100–300, 20–99, 5–19 and 1–4. */
export const WORD_COUNT_PLAN: readonly CountPlan[] = [
  { share: 0.25, min: 100, max: 300 },
  { share: 0.25, min: 20, max: 99 },
  { share: 0.25, min: 5, max: 19 },
  { share: 0.25, min: 1, max: 4 },
];

/**
 * Assigns each key a count: keys are shuffled with `rng`, cut into the plan's shares
 * in order, and each draws a uniform integer from its range. Deterministic for a seed.
 */
export function assignCounts(keys: readonly string[], plan: readonly CountPlan[], rng: Rng): Map<string, number> {
  const order = shuffled(keys, rng);
  const out = new Map<string, number>();
  let start = 0;
  plan.forEach((p, i) => {
    const end = i === plan.length - 1 ? order.length : start + Math.round(p.share * order.length);
    for (const key of order.slice(start, end)) out.set(key, rng.int(p.min, p.max));
    start = end;
  });
  return out;
}

/** Minority (Scots) share of a fact's lines: round(count / 11), about 10% of the majority. */
export function minorityCount(count: number): number {
  return Math.round(count / 11);
}
