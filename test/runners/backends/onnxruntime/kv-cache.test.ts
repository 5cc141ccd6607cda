import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { emptyKvCache, gatherKvRows, kvCacheBytes, KvScratch, selectKvRows, type KvCache } from '../../../../runners/backends/onnxruntime/kv-cache.js';

const test = suite('runners/kv-cache');

test('selectKvRows tiles and compacts rows of (batch, heads, length, headDim)', () => {
  // 3 rows, 2 heads, length 2, headDim 1: value = 100*row + 10*head + pos
  const values = Float32Array.from({ length: 12 }, (_, i) => 100 * Math.floor(i / 4) + 10 * Math.floor((i % 4) / 2) + (i % 2));
  const cache: KvCache = {
    batch: 3, heads: 2, length: 2, headDim: 1,
    keys: [values], values: [values.map((v) => -v)],
    mask: Uint8Array.from([0, 1, 1, 1, 1, 1]), realLengths: Int32Array.from([1, 2, 2]),
  };
  const picked = selectKvRows(cache, [2, 0, 0]);
  assert.equal(Array.from(picked.keys[0]), [200, 201, 210, 211, 0, 1, 10, 11, 0, 1, 10, 11]);
  assert.equal(Array.from(picked.values[0]).slice(0, 4), [-200, -201, -210, -211]);
  assert.equal(Array.from(picked.mask), [1, 1, 0, 1, 0, 1]);
  assert.equal(Array.from(picked.realLengths), [2, 1, 1]);
  assert.is(picked.batch, 3);
  assert.is(kvCacheBytes(picked), 2 * 1 * 3 * 2 * 2 * 1 * 4);
  const empty = emptyKvCache(5, 4, 4, 8);
  assert.equal([empty.keys.length, empty.length, empty.realLengths.length, empty.keys[0].length], [5, 0, 4, 0]);
});

test('gatherKvRows takes rows from several caches of one length, and refuses other lengths', () => {
  // (batch 1|2, heads 1, length 2, headDim 2): value = 1000*cache + 100*row + 10*pos + d
  const make = (id: number, batch: number, length = 2): KvCache => {
    const keys = Float32Array.from({ length: batch * length * 2 }, (_, i) => 1000 * id + 100 * Math.floor(i / (length * 2)) + 10 * Math.floor((i % (length * 2)) / 2) + (i % 2));
    return { batch, heads: 1, length, headDim: 2, keys: [keys], values: [keys.map((v) => -v)], mask: new Uint8Array(batch * length).fill(1), realLengths: new Int32Array(batch).fill(length) };
  };
  const a = make(1, 2);
  const b = make(2, 1);
  const g = gatherKvRows([
    { cache: b, row: 0 },
    { cache: a, row: 1 },
  ]);
  assert.equal(Array.from(g.keys[0]), [2000, 2001, 2010, 2011, 1100, 1101, 1110, 1111]);
  assert.equal(Array.from(g.values[0]).slice(4), [-1100, -1101, -1110, -1111]);
  assert.equal([g.batch, g.length, Array.from(g.realLengths)], [2, 2, [2, 2]]);
  assert.throws(() => gatherKvRows([{ cache: a, row: 0 }, { cache: make(3, 1, 3), row: 0 }]), /3 positions among rows of 2/);
});

test('a scratch gather equals a fresh one, in views of the exact size over reused buffers', () => {
  // (batch 3, heads 2, length 3, headDim 2), two layers
  const make = (length: number): KvCache => {
    const n = 3 * 2 * length * 2;
    const layer = (k: number): Float32Array => Float32Array.from({ length: n }, (_, i) => 1000 * k + i);
    return { batch: 3, heads: 2, length, headDim: 2, keys: [layer(1), layer(2)], values: [layer(3), layer(4)], mask: new Uint8Array(3 * length).fill(1), realLengths: new Int32Array(3).fill(length) };
  };
  const scratch = new KvScratch();
  const big = make(3);
  const first = selectKvRows(big, [2, 0, 0, 1], scratch);
  assert.equal(first, selectKvRows(big, [2, 0, 0, 1]));
  const buffer = first.keys[1].buffer;
  // a smaller gather reuses the same buffer (a view), and the view holds exactly its rows
  const small = make(2);
  const second = selectKvRows(small, [1], scratch);
  assert.is(second.keys[1].buffer, buffer);
  assert.is(second.keys[1].length, 2 * 2 * 2);
  assert.equal(second, selectKvRows(small, [1]));
  // keys and values of every layer have buffers of their own
  assert.is(new Set([...second.keys, ...second.values].map((a) => a.buffer)).size, 4);
});

test.run();
