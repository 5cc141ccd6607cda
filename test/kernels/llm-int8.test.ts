import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../core/errors.js';
import { llmInt8Matmul, outlierFeatures, quantizeLlmInt8 } from '../../kernels/llm-int8.js';
import { correlatedInputs, randomWeight } from './fixtures.js';

const test = suite('kernels/llm-int8');

test('fixed example (by hand): the outlier feature stays fp32, the rest is exact on the int8 grid', () => {
  // X (2,2) = [[1, 8], [0.5, -2]]: feature 1 reaches 8 ≥ 6 -> outlier. W (2,1) = [0.5, 0.25].
  // Row 0 of W: absmax 0.5 -> code 127 (+128 = 255), dequantized 0.5 exactly.
  // Token 0: regular absmax 1 -> x code 127; y = 127·127·(1/127)(0.5/127) + 8·0.25 = 2.5.
  const r = quantizeLlmInt8(Float32Array.from([0.5, 0.25]), 2, 1, Float32Array.from([1, 8, 0.5, -2]), { threshold: 6 });
  assert.equal([...r.outliers], [1]);
  assert.equal([...r.quantized.codes], [255, 128]);
  assert.equal([...r.outlierWeight], [0.25]);
  assert.equal([...r.effectiveWeight], [0.5, 0.25]);
  const y = llmInt8Matmul(Float32Array.from([1, 8, 0.5, -2]), 2, 2, r);
  assert.ok(Math.abs(y[0] - 2.5) < 1e-6, `${y[0]}`);
  assert.ok(Math.abs(y[1] - (0.25 - 0.5)) < 1e-6, `${y[1]}`);
});

/** Naive LLM.int8(): written from the paper's equation, independently of the kernel. */
function naiveLlmInt8(X: Float32Array, T: number, K: number, W: Float32Array, N: number, threshold: number): Float64Array {
  const out = new Set<number>();
  for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) if (Math.abs(X[t * K + k]) >= threshold) out.add(k);
  const sw = Array.from({ length: N }, (_, n) => Math.max(...Array.from({ length: K }, (_, k) => (out.has(k) ? 0 : Math.abs(W[k * N + n])))) / 127);
  const Y = new Float64Array(T * N);
  for (let t = 0; t < T; t++) {
    const sx = Math.max(...Array.from({ length: K }, (_, k) => (out.has(k) ? 0 : Math.abs(X[t * K + k])))) / 127;
    for (let n = 0; n < N; n++) {
      let int = 0;
      let fp = 0;
      for (let k = 0; k < K; k++) {
        if (out.has(k)) fp += X[t * K + k] * W[k * N + n];
        else int += Math.round(X[t * K + k] / sx) * Math.round(W[k * N + n] / sw[n]);
      }
      Y[t * N + n] = int * sx * sw[n] + fp;
    }
  }
  return Y;
}

test('matches a naive implementation of the paper\'s decomposition on inputs with outlier features', () => {
  const [T, K, N] = [24, 32, 12];
  const W = randomWeight(5, K, N);
  const X = correlatedInputs(5, T, K, { outliers: 3, outlierScale: 10 });
  const r = quantizeLlmInt8(W, K, N, X, { threshold: 6 });
  assert.ok(r.outliers.length >= 3, `found ${r.outliers.length}`);
  const naiveOut = Array.from({ length: K }, (_, k) => k).filter((k) => Array.from({ length: T }, (_, t) => Math.abs(X[t * K + k])).some((a) => a >= 6));
  assert.equal([...r.outliers], naiveOut);
  const got = llmInt8Matmul(X, T, K, r);
  const want = naiveLlmInt8(X, T, K, W, N, 6);
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-4 * (1 + Math.abs(want[i])), `y[${i}] ${got[i]} vs ${want[i]}`);
});

test('weights: outlier rows exact, int8 rows within half a step of the per-column absmax grid', () => {
  const [T, K, N] = [16, 24, 10];
  const W = randomWeight(7, K, N);
  const X = correlatedInputs(7, T, K, { outliers: 2, outlierScale: 20 });
  const r = quantizeLlmInt8(W, K, N, X, { threshold: 6 });
  const isOut = new Set(r.outliers);
  for (let n = 0; n < N; n++) {
    let absmax = 0;
    for (let k = 0; k < K; k++) if (!isOut.has(k)) absmax = Math.max(absmax, Math.abs(W[k * N + n]));
    for (let k = 0; k < K; k++) {
      const d = Math.abs(W[k * N + n] - r.effectiveWeight[k * N + n]);
      if (isOut.has(k)) assert.is(d, 0);
      else assert.ok(d <= absmax / 254 + 1e-7, `W[${k},${n}] error ${d} > ${absmax / 254}`);
    }
  }
});

test('published property: with emergent outlier features, decomposition keeps int8 accurate where plain vector-wise int8 is not', () => {
  // Dettmers et al. §3–4: outlier features (|x| ≥ 6) stretch each token's absmax scale, so
  // vector-wise int8 alone loses the ordinary features; keeping them in fp32 restores accuracy.
  const [T, K, N] = [64, 64, 32];
  for (const seed of [1, 2, 3]) {
    const W = randomWeight(seed, K, N);
    const X = correlatedInputs(seed, T, K, { outliers: 2, outlierScale: 25 });
    const decomposed = quantizeLlmInt8(W, K, N, X, { threshold: 6 });
    const plain = quantizeLlmInt8(W, K, N, X, { threshold: 1e6 });
    assert.is(plain.outliers.length, 0);
    assert.ok(decomposed.stats.activationOutputError * 10 < plain.stats.activationOutputError,
      `seed ${seed}: decomposed ${decomposed.stats.activationOutputError} vs plain ${plain.stats.activationOutputError}`);
  }
});

test('no feature at the threshold: no outliers; a bad threshold is one InputError line', () => {
  const X = Float32Array.from([1, -2, 3, 5.5]);
  assert.equal([...outlierFeatures(X, 2, 2, 6)], []);
  assert.equal([...outlierFeatures(X, 2, 2, 5.5)], [1]);
  assert.throws(() => outlierFeatures(X, 2, 2, 0), (e: unknown) => e instanceof InputError && /threshold must be a positive number/u.test((e as Error).message));
});

test.run();
