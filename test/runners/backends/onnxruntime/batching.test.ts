import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import { checkBatchLimits, chunkByCost, chunkByWidth, decodeRows, paddedWidth, rowPlan, rowWidth, ROW_TILE } from '../../../../runners/backends/onnxruntime/batching.js';

const test = suite('runners/batching');

test('chunkByCost bounds rows and padded tokens, keeps order, lets an oversized item run alone', () => {
  const lengths = [50, 40, 40, 30, 10, 10, 10, 200, 5];
  const chunks = chunkByCost(lengths, (x) => x, { maxRows: 3, maxTokens: 100 });
  assert.equal(chunks, [[50, 40], [40, 30], [10, 10, 10], [200], [5]]);
  for (const c of chunks) assert.ok(c.length <= 3 && (c.length === 1 || c.length * Math.max(...c) <= 100));
  assert.equal(chunkByCost([], (x: number) => x, { maxRows: 2, maxTokens: 10 }), []);
});

test('limits are checked up front with the option name', () => {
  assert.throws(() => checkBatchLimits({ maxRows: 1.5, maxTokens: 10 }), (e: unknown) => e instanceof InputError && /options\.maxRows/.test((e as Error).message));
  assert.throws(() => checkBatchLimits({ maxRows: 1, maxTokens: 0 }), /options\.maxTokens/);
});

test('paddedWidth: multiples of 8 up to 64, then a quarter of the power of two below, at most 25% padding', () => {
  const widths = [1, 8, 9, 37, 64, 65, 100, 128, 129, 200, 257, 500, 512].map((n) => paddedWidth(n));
  assert.equal(widths, [8, 8, 16, 40, 64, 80, 112, 128, 160, 224, 320, 512, 512]);
  for (let n = 1; n <= 1024; n++) {
    const w = paddedWidth(n);
    assert.ok(w >= n && w % ROW_TILE === 0 && (n <= 64 || w - n < n / 4), `width ${w} for ${n}`);
  }
  assert.equal([3, 33, 70].map((n) => paddedWidth(n, 32)), [32, 64, 96]);
});

test('rowPlan: widths stop at the model positions (rounded to the tile); a graph that mixes rows runs one unpadded row per forward', () => {
  const plan = rowPlan({ maxRows: 16, maxTokens: 2048 }, false, 300);
  assert.equal([290, 296, 297, 300].map((n) => rowWidth(plan, n)), [296, 296, 297, 300]);
  assert.equal([1, 2, 3, 16].map((n) => decodeRows(plan, n)), [2, 2, 4, 16]);
  const alone = rowPlan({ maxRows: 16, maxTokens: 2048 }, true, 512);
  assert.is(alone.limits.maxRows, 1);
  assert.equal([1, 37].map((n) => rowWidth(alone, n)), [1, 37]);
  assert.is(decodeRows(alone, 1), 1);
});

test('chunkByWidth: one width per forward, widest first, each group cut by the limits with its extra columns', () => {
  const plan = rowPlan({ maxRows: 2, maxTokens: 100 }, false, 512);
  const lengths = [3, 40, 9, 5, 38, 7, 70];
  const chunks = chunkByWidth(plan, lengths, (n) => n);
  assert.equal(chunks, [
    { width: 80, items: [70] },
    { width: 40, items: [40, 38] },
    { width: 16, items: [9] },
    { width: 8, items: [3, 5] },
    { width: 8, items: [7] },
  ]);
  // cached columns count: two rows of width 8 fit in 100 tokens with 8 more columns each, not with 50
  assert.equal(chunkByWidth(plan, [3, 5], (n) => n, () => 8).map((c) => c.items), [[3, 5]]);
  assert.equal(chunkByWidth(plan, [3, 5], (n) => n, () => 50).map((c) => c.items), [[3], [5]]);
});

test.run();
