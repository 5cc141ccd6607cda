import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ascendingOrder, pruneWanda } from '../../../../kernels/index.js';
import { kthSmallest, lowestInIndexOrder, pruneWandaFast } from '../../../../runners/compress/fast/fast-wanda.js';
import { GemmEngine } from '../../../../runners/compress/fast/gemm-engine.js';
import { kthSmallestNonNegative, radixScratch } from '../../../../runners/compress/fast/radix-select.js';
import { createRng } from '../../../../core/rng.js';
import { correlatedInputs, randomWeight } from '../../../kernels/fixtures.js';

const test = suite('compress/fast/wanda');
const engine = GemmEngine.create(1);

test('lowest-k with ties in index order = the reference order, ties and zeros included', () => {
  const score = Float64Array.from([3, 1, 2, 1, 0, 1, -0, 5, 2, 1]);
  for (let count = 0; count <= score.length; count++) {
    const want = [...ascendingOrder(score, score.length).slice(0, count)].sort((a, b) => a - b);
    const got = [...lowestInIndexOrder(score, count)].sort((a, b) => a - b);
    assert.equal(got, want, `count ${count}`);
  }
});

test('kthSmallest = the sorted array at every index, with duplicates', () => {
  const v = Float64Array.from({ length: 301 }, (_, i) => ((i * 7919) % 97) / 4);
  const sorted = v.slice().sort();
  for (let k = 0; k < v.length; k++) assert.is(kthSmallest(v.slice(), k), sorted[k], `k ${k}`);
});

test('radix select = the sorted array at every index: ties, zeros, subnormals, Infinity, one crowded bucket, −0', () => {
  const rng = createRng(5);
  const cases: Float64Array[] = [
    Float64Array.from({ length: 600 }, () => Math.abs(rng.normal()) * 10 ** Math.floor(rng.next() * 12 - 6)),
    Float64Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? 0 : ((i * 7919) % 13) / 8)),
    Float64Array.from({ length: 600 }, (_, i) => (i % 5 === 0 ? 5e-324 * i : i % 7 === 0 ? Infinity : 1 + (i % 11) * 2 ** -40)),
    Float64Array.from({ length: 600 }, (_, i) => (i === 17 ? -0 : i / 3)),
    Float64Array.from({ length: 1 }, () => 2.5),
  ];
  const scratch = radixScratch(8);
  for (const v of cases) {
    const copy = v.slice();
    const sorted = v.slice().sort();
    for (let k = 0; k < v.length; k++) assert.ok(Object.is(kthSmallestNonNegative(v, k, scratch), sorted[k]) || kthSmallestNonNegative(v, k, scratch) === sorted[k], `k ${k}`);
    assert.equal(v, copy);
  }
  // A view that does not start at the buffer's beginning.
  const big = Float64Array.from({ length: 4200 }, () => Math.abs(rng.normal()));
  const view = big.subarray(104);
  const sorted = view.slice().sort();
  for (const k of [0, 1, 2047, 2048, view.length - 1]) assert.is(kthSmallestNonNegative(view, k, scratch), sorted[k]);
});

for (const sparsity of [0, 0.3, 0.5, 0.9]) {
  test(`same mask as kernels/wanda.ts at sparsity ${sparsity}, output error within 1e-4`, async () => {
    const K = 320;
    const N = 90;
    // Quantized weights make many exact score ties.
    const W = randomWeight(11, K, N, 0.05).map((v) => Math.round(v * 40) / 40);
    const X = correlatedInputs(12, 100, K, { outliers: 4 });
    const ref = pruneWanda(W, K, N, X, sparsity);
    const fast = await pruneWandaFast(engine, W, K, N, X, sparsity);
    assert.equal(fast.mask, ref.mask);
    assert.equal(fast.pruned, ref.pruned);
    assert.is(fast.sparsity, ref.sparsity);
    assert.ok(Math.abs(fast.stats.outputError! - ref.stats.outputError!) <= 1e-4 * ref.stats.outputError! + 1e-12);
  });
}

test('bad input gives the reference kernel’s error', async () => {
  let message = '';
  try {
    await pruneWandaFast(engine, new Float32Array(6), 2, 3, new Float32Array(5), 0.5);
  } catch (e) {
    message = (e as Error).message;
  }
  assert.match(message, /not a multiple of K = 2/);
});

test.after(async () => engine.release());
test.run();
