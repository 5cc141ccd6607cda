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
  // one row of one layer = heads × length × headDim contiguous floats
  const rowSize = cache.heads * cache.length * cache.headDim;
  const gather = (src: Float32Array): Float32Array => {
    const out = new Float32Array(rows.length * rowSize);
    for (let i = 0; i < rows.length; i++) out.set(src.subarray(rows[i] * rowSize, (rows[i] + 1) * rowSize), i * rowSize);
    return out;
  };
  const mask = new Uint8Array(rows.length * cache.length);
  const realLengths = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    mask.set(cache.mask.subarray(rows[i] * cache.length, (rows[i] + 1) * cache.length), i * cache.length);
    realLengths[i] = cache.realLengths[rows[i]];
  }
  return {
    batch: rows.length,
    heads: cache.heads,
    length: cache.length,
    headDim: cache.headDim,
    keys: cache.keys.map(gather),
    values: cache.values.map(gather),
    mask,
    realLengths,
  };
}

/** Bytes held by the cache's keys and values (for batch budgeting). */
export function kvCacheBytes(cache: KvCache): number {
  return 2 * cache.keys.length * cache.batch * cache.heads * cache.length * cache.headDim * 4;
}
