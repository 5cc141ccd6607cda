import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { emptyKvCache, kvCacheBytes, selectKvRows, type KvCache } from '../../../../runners/backends/onnxruntime/kv-cache.js';

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

test.run();
