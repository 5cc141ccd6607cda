import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { layerHessian, quantizeGptq, upperCholeskyOfInverse, type GptqOptions } from '../../../../kernels/index.js';
import { upperCholeskyFactorFast, upperCholeskyOfInverseFast } from '../../../../runners/compress/fast/fast-cholesky.js';
import { quantizeGptqFast } from '../../../../runners/compress/fast/fast-gptq.js';
import { GemmEngine } from '../../../../runners/compress/fast/gemm-engine.js';
import { correlatedInputs, randomWeight } from '../../../kernels/fixtures.js';
import { compareCodes } from './compare.js';

const test = suite('compress/fast/gptq');
const engine = GemmEngine.create(1);

// Past 2·256 rows the blocked Cholesky and the left-looking updates span several panels.
const K = 704;
const N = 48;
const T = 160;
const W = randomWeight(3, K, N, 0.05);
const X = correlatedInputs(4, T, K, { factors: 24, outliers: 3 });

test('blocked Cholesky of H⁻¹ on the engine = the reference within 1e-10 of max |U|', async () => {
  const H = layerHessian(X, T, K);
  for (let i = 0; i < K; i++) H[i * K + i] += 0.05;
  const ref = upperCholeskyOfInverse(Float64Array.from(H), K)!;
  const fast = (await upperCholeskyOfInverseFast(engine, Float64Array.from(H), K))!;
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    worst = Math.max(worst, Math.abs(ref[i] - fast[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  assert.ok(worst <= 1e-10 * scale, `max |ΔU| ${worst} vs max |U| ${scale}`);
});

test('H = V·Vᵀ with V upper (the factor whose inverse is U) within 1e-12 of max |H|; V⁻¹ = U', async () => {
  const H = layerHessian(X, T, K);
  for (let i = 0; i < K; i++) H[i * K + i] += 0.05;
  const V = (await upperCholeskyFactorFast(engine, Float64Array.from(H), K))!;
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < i; j++) assert.is(V[i * K + j], 0);
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < K; k++) s += V[i * K + k] * V[j * K + k];
      worst = Math.max(worst, Math.abs(s - H[i * K + j]));
      scale = Math.max(scale, Math.abs(H[i * K + j]));
    }
  }
  assert.ok(worst <= 1e-12 * scale, `max |VVᵀ − H| ${worst} vs max |H| ${scale}`);
  // U·V = I on a few rows (U from the reference): U is V's inverse.
  const U = upperCholeskyOfInverse(Float64Array.from(H), K)!;
  for (const i of [0, 300, K - 1]) {
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let k = i; k <= j; k++) s += U[i * K + k] * V[k * K + j];
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) <= 1e-9, `(U·V)[${i}, ${j}] = ${s}`);
    }
  }
});

test('blocked Cholesky says not positive definite like the reference', async () => {
  const H = new Float64Array(K * K);
  for (let i = 0; i < K; i++) H[i * K + i] = i === 600 ? -1 : 1;
  assert.is(await upperCholeskyOfInverseFast(engine, Float64Array.from(H), K), undefined);
  assert.is(await upperCholeskyFactorFast(engine, H, K), undefined);
});

const configs: [string, GptqOptions][] = [
  ['4-bit, group 128', { bits: 4, group: 128 }],
  ['4-bit per channel, symmetric', { bits: 4, symmetric: true }],
  ['3-bit, act-order, group 64', { bits: 3, group: 64, actOrder: true }],
  ['4-bit, act-order, static groups 128', { bits: 4, group: 128, actOrder: true, staticGroups: true }],
  ['4-bit, group 96 across block edges (block 128)', { bits: 4, group: 96 }],
  ['4-bit, group 100 (not a multiple of 32: whole blocks of 128)', { bits: 4, group: 100 }],
  ['2-bit narrow, group 256, block 64', { bits: 2, symmetric: true, symGrid: 'narrow', group: 256, blockSize: 64 }],
];

for (const [name, options] of configs) {
  test(`same codes as kernels/gptq.ts (≤ 0.1% differ by ±1): ${name}`, async () => {
    const ref = quantizeGptq(W, K, N, X, options);
    const fast = await quantizeGptqFast(engine, W, K, N, X, options);
    const c = compareCodes(W, ref, fast);
    assert.is(c.differByMore, 0, `${c.differByMore} codes differ by more than 1`);
    assert.ok(c.differ <= 1e-3 * W.length, `${c.differ} of ${W.length} codes differ`);
    assert.ok(c.reconstruction <= 0.05, `‖Ŵ_fast − Ŵ_ref‖ is ${c.reconstruction} of the quantization error`);
    assert.equal(fast.scales.length, ref.scales.length);
    assert.equal(fast.permutation, ref.permutation);
    assert.is(fast.deadInputs, ref.deadInputs);
    assert.ok(Math.abs(fast.stats.outputError! - ref.stats.outputError!) <= 1e-3 * ref.stats.outputError!, `outputError ${fast.stats.outputError} vs ${ref.stats.outputError}`);
  });
}

test('dead inputs are zeroed as in the reference', async () => {
  const Xd = Float32Array.from(X);
  for (let t = 0; t < T; t++) Xd[t * K + 5] = 0;
  const ref = quantizeGptq(W, K, N, Xd, { bits: 4, group: 128 });
  const fast = await quantizeGptqFast(engine, W, K, N, Xd, { bits: 4, group: 128 });
  assert.is(fast.deadInputs, 1);
  assert.is(compareCodes(W, ref, fast).differByMore, 0);
});

test('the same result on every run', async () => {
  const a = await quantizeGptqFast(engine, W, K, N, X, { bits: 4, group: 128, actOrder: true });
  const b = await quantizeGptqFast(engine, W, K, N, X, { bits: 4, group: 128, actOrder: true });
  assert.equal(a.codes, b.codes);
  assert.equal(a.dequantized, b.dequantized);
});

test.after(async () => engine.release());
test.run();
