/**
 * Tokenized loglikelihood pairs kept across calls, keyed by the exact request strings and the
 * tokenizer's fingerprint. A matrix worker scores the same suite shards under every variant of
 * a base model, and variants share the base's tokenizer: the second variant's shard then skips
 * tokenization (JavaScript BPE re-reads a 5-shot header for every choice). Only an exact
 * (context, continuation) match is reused, so the ids are those encodePair computes, by
 * construction; nothing is inferred from shared prefixes.
 */

/** Token ids of one request as encodePair returns them (before any truncation). */
export interface CachedPair {
  readonly contextIds: readonly number[];
  readonly continuationIds: readonly number[];
}

/** Bound on the ids held, all tokenizers together (8 bytes an id: about 32 MiB). */
export const PAIR_CACHE_IDS = 4_000_000;

const byTokenizer = new Map<string, Map<string, CachedPair>>();
let heldIds = 0;

function keyOf(context: string, continuation: string): string {
  // the context's length first: no pair of strings maps to another pair's key
  return `${context.length}:${context}${continuation}`;
}

/** The cached pair for these exact strings under tokenizer `fingerprint`, or undefined. */
export function cachedPair(fingerprint: string, context: string, continuation: string): CachedPair | undefined {
  return byTokenizer.get(fingerprint)?.get(keyOf(context, continuation));
}

/** Stores a pair; when the bound would be passed, everything held is dropped first (a new suite or model family). */
export function storePair(fingerprint: string, context: string, continuation: string, pair: CachedPair): void {
  const ids = pair.contextIds.length + pair.continuationIds.length;
  if (heldIds + ids > PAIR_CACHE_IDS) clearPairCache();
  let map = byTokenizer.get(fingerprint);
  if (!map) byTokenizer.set(fingerprint, (map = new Map()));
  const key = keyOf(context, continuation);
  if (map.has(key)) return;
  map.set(key, pair);
  heldIds += ids;
}

/** Drops every cached pair (benchmarks time a cold call with it). */
export function clearPairCache(): void {
  byTokenizer.clear();
  heldIds = 0;
}
