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
export function selectKvRows(cache: KvCache, rows: readonly number[], scratch?: KvScratch): KvCache {
  return gatherKvRows(rows.map((row) => ({ cache, row })), scratch);
}

/** One row of a cache: where a prefix's keys and values live. */
export interface KvRowRef {
  readonly cache: KvCache;
  readonly row: number;
}

/**
 * A new cache whose row i is row `sources[i].row` of `sources[i].cache`: rows gathered from
 * several forwards (a prefix tree's nodes), which must all hold the same number of positions.
 * With `scratch` the keys and values are written into its reused buffers: the result is then
 * valid only until the scratch's next use (a past fed to one forward, never kept).
 */
export function gatherKvRows(sources: readonly KvRowRef[], scratch?: KvScratch): KvCache {
  if (sources.length === 0) throw new Error('gatherKvRows: no rows');
  const { heads, length, headDim } = sources[0].cache;
  for (const s of sources) {
    if (s.cache.length !== length || s.cache.heads !== heads || s.cache.headDim !== headDim) throw new Error(`gatherKvRows: a row of ${s.cache.length} positions among rows of ${length}`);
  }
  // one row of one layer = heads × length × headDim contiguous floats
  const rowSize = heads * length * headDim;
  const gather = (layer: number, pick: (c: KvCache) => readonly Float32Array[], slot: number): Float32Array => {
    const out = scratch ? scratch.take(2 * layer + slot, sources.length * rowSize) : new Float32Array(sources.length * rowSize);
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
    keys: Array.from({ length: layers }, (_, l) => gather(l, (c) => c.keys, 0)),
    values: Array.from({ length: layers }, (_, l) => gather(l, (c) => c.values, 1)),
    mask,
    realLengths,
  };
}

/** Bytes held by the cache's keys and values (for batch budgeting). */
export function kvCacheBytes(cache: KvCache): number {
  return 2 * cache.keys.length * cache.batch * cache.heads * cache.length * cache.headDim * 4;
}

/**
 * Reused buffers for gathered pasts that live for one forward only (continuation passes, a
 * tree level's parents): one growing buffer per layer and keys/values, handed out as views
 * from offset 0, so a scoring call copies each past once instead of allocating (and
 * zeroing, then collecting) a fresh one per forward. One scratch per call: a view is
 * overwritten by the next {@link gatherKvRows} that uses it.
 */
export class KvScratch {
  private readonly buffers: Float32Array[] = [];

  /** A view of `length` floats of buffer `slot` (its contents are whatever was left there). */
  take(slot: number, length: number): Float32Array {
    let buffer = this.buffers[slot];
    if (!buffer || buffer.length < length) {
      // grow by half again, so a call whose pasts widen step by step reallocates a few times only
      buffer = new Float32Array(Math.max(length, Math.ceil((buffer?.length ?? 0) * 1.5)));
      this.buffers[slot] = buffer;
    }
    return buffer.length === length ? buffer : new Float32Array(buffer.buffer, 0, length);
  }
}
