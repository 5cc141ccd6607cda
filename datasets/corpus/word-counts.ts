/**
 * Exact word counts of a text, and the records of the rare-word targets.
 */
import { bucketOf, type FreqBucket } from './frequency.js';

/** Words are runs of letters, with inner apostrophes ("what's"); case is kept. */
const WORD = /\p{L}+(?:'\p{L}+)*/gu;

/** Counts every word occurrence in `texts`; keys are sorted for stable output. */
export function countWords(texts: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const t of texts) for (const m of t.matchAll(WORD)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** A rare-word target with its exact count in the training corpus. */
export interface TargetWordRecord {
  word: string;
  kind: 'occupation' | 'hobby';
  /** The count the generator was asked for. */
  plannedCount: number;
  /** The count of the word anywhere in the corpus (may exceed planned if it also occurs elsewhere). */
  count: number;
  bucket: FreqBucket;
}

/** Target records from planned counts and the measured word counts. */
export function targetRecords(
  planned: Map<string, number>,
  kind: TargetWordRecord['kind'],
  counts: Record<string, number>,
): TargetWordRecord[] {
  return [...planned].map(([word, plannedCount]) => {
    const count = counts[word] ?? 0;
    return { word, kind, plannedCount, count, bucket: bucketOf(count) };
  });
}
