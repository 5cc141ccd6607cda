import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { quantizeAwq, type AwqOptions } from '../../../../kernels/index.js';
import { quantizeAwqFast } from '../../../../runners/compress/fast/fast-awq.js';
import { GemmEngine } from '../../../../runners/compress/fast/gemm-engine.js';
import { correlatedInputs, randomWeight } from '../../../kernels/fixtures.js';

const test = suite('compress/fast/awq');
const engine = GemmEngine.create(1);

const K = 384;
const N = 200;
const T = 150;
const W = randomWeight(7, K, N, 0.05);
const X = correlatedInputs(8, T, K, { factors: 16, outliers: 5, outlierScale: 30 });

const configs: [string, AwqOptions][] = [
  ['4-bit group 128, default sample', { bits: 4, group: 128 }],
  ['3-bit symmetric per channel, 10 points', { bits: 3, symmetric: true, group: 'channel', gridPoints: 10 }],
  ['4-bit group 64, sampled tokens and columns', { bits: 4, group: 64, searchMaxTokens: 64, searchMaxColumns: 50 }],
];

for (const [name, options] of configs) {
  test(`same α, scales and codes as kernels/awq.ts; search errors within 1e-4: ${name}`, async () => {
    const ref = quantizeAwq(W, K, N, X, options);
    const fast = await quantizeAwqFast(engine, W, K, N, X, options);
    assert.is(fast.alpha, ref.alpha);
    assert.equal(fast.channelScales, ref.channelScales);
    assert.equal(fast.codes, ref.codes);
    assert.equal(fast.scales, ref.scales);
    assert.equal(fast.zeros, ref.zeros);
    assert.equal(fast.dequantized, ref.dequantized);
    assert.equal(fast.effectiveWeight, ref.effectiveWeight);
    assert.equal({ ...fast, stats: undefined, searchErrors: undefined }, { ...ref, stats: undefined, searchErrors: undefined });
    assert.is(fast.searchErrors.length, ref.searchErrors.length);
    fast.searchErrors.forEach((e, i) => assert.ok(Math.abs(e - ref.searchErrors[i]) <= 1e-4 * ref.searchErrors[i], `α ${i}: ${e} vs ${ref.searchErrors[i]}`));
    assert.ok(Math.abs(fast.stats.outputError! - ref.stats.outputError!) <= 1e-4 * ref.stats.outputError!);
  });
}

test('the search really discriminates: the chosen α is not the first', async () => {
  const fast = await quantizeAwqFast(engine, W, K, N, X, { bits: 4, group: 128 });
  assert.ok(fast.alpha > 0, `α ${fast.alpha}`);
});

test.after(async () => engine.release());
test.run();
