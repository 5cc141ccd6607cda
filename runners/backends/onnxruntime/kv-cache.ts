/**
 * A batch's key/value cache with the attention mask and position counters that go with it.
 * Layout of every layer's keys and values: (batch, kvHeads, length, headDim), row-major.
 */
export interface KvCache {
  /** Rows in the batch. */
  readonly batch: number;
  /** Key/value heads. */
  readonly heads: number;
  /** Cached positions per row, padding included. */
  readonly length: number;
  /** Size of one head. */
  readonly headDim: number;
  /** Per layer: keys (batch, heads, length, headDim). */
  readonly keys: readonly Float32Array[];
  /** Per layer: values (batch, heads, length, headDim). */
  readonly values: readonly Float32Array[];
  /** (batch, length): 1 where a real token sits, 0 for padding. */
  readonly mask: Uint8Array;
  /** (batch,): real tokens per row, i.e. the position id of the row's next token. */
  readonly realLengths: Int32Array;
}

/** An empty cache (length 0) for `batch` rows. */
export function emptyKvCache(numLayers: number, batch: number, heads: number, headDim: number): KvCache {
  const none = (): Float32Array[] => Array.from({ length: numLayers }, () => new Float32Array(0));
  return { batch, heads, length: 0, headDim, keys: none(), values: none(), mask: new Uint8Array(0), realLengths: new Int32Array(batch) };
}

/**
 * A new cache whose row i is row `rows[i]` of `cache`. Repeating an index tiles a shared
 * prefix to several continuations; dropping indices compacts finished generations.
 */
export function selectKvRows(cache: KvCache, rows: readonly number[]): KvCache {
  return gatherKvRows(rows.map((row) => ({ cache, row })));
}

/** One row of a cache: where a prefix's keys and values live. */
export interface KvRowRef {
  readonly cache: KvCache;
  readonly row: number;
}

/**
 * A new cache whose row i is row `sources[i].row` of `sources[i].cache`: rows gathered from
 * several forwards (a prefix tree's nodes), which must all hold the same number of positions.
 */
export function gatherKvRows(sources: readonly KvRowRef[]): KvCache {
  if (sources.length === 0) throw new Error('gatherKvRows: no rows');
  const { heads, length, headDim } = sources[0].cache;
  for (const s of sources) {
    if (s.cache.length !== length || s.cache.heads !== heads || s.cache.headDim !== headDim) throw new Error(`gatherKvRows: a row of ${s.cache.length} positions among rows of ${length}`);
  }
  // one row of one layer = heads × length × headDim contiguous floats
  const rowSize = heads * length * headDim;
  const gather = (layer: number, pick: (c: KvCache) => readonly Float32Array[]): Float32Array => {
    const out = new Float32Array(sources.length * rowSize);
    sources.forEach(({ cache, row }, i) => out.set(pick(cache)[layer].subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
    return out;
  };
  const mask = new Uint8Array(sources.length * length);
  const realLengths = new Int32Array(sources.length);
  sources.forEach(({ cache, row }, i) => {
    mask.set(cache.mask.subarray(row * length, (row + 1) * length), i * length);
    realLengths[i] = cache.realLengths[row];
  });
  const layers = sources[0].cache.keys.length;
  return {
    batch: sources.length,
    heads,
    length,
    headDim,
    keys: Array.from({ length: layers }, (_, l) => gather(l, (c) => c.keys)),
    values: Array.from({ length: layers }, (_, l) => gather(l, (c) => c.values)),
    mask,
    realLengths,
  };
}

/** Bytes held by the cache's keys and values (for batch budgeting). */
export function kvCacheBytes(cache: KvCache): number {
  return 2 * cache.keys.length * cache.batch * cache.heads * cache.length * cache.headDim * 4;
}
