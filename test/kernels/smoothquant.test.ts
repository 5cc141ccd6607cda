import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dequantizeLinear, dynamicQuantizeLinear } from '../../kernels/dynamic-quantize.js';
import { matMulIntegerReference, matMulIntegerWeights } from '../../kernels/pack-integer.js';
import { smoothingFactors, smoothQuant } from '../../kernels/smoothquant.js';
import { correlatedInputs, naiveMatmul, naiveRelError, randomWeight } from './fixtures.js';

const test = suite('kernels/smoothquant');

test('DynamicQuantizeLinear: the ONNX operator examples', () => {
  // onnx/docs/Operators.md, DynamicQuantizeLinear examples (expected outputs of the backend tests).
  const a = dynamicQuantizeLinear(Float32Array.from([0, 2, -3, -2.5, 1.34, 0.5]));
  assert.is(a.scale, Math.fround(5 / 255));
  assert.is(a.zeroPoint, 153);
  assert.equal([...a.y], [153, 255, 0, 26, 221, 179]);
  const b = dynamicQuantizeLinear(Float32Array.from([-1.0, -2.1, -1.3, -2.5, -3.34, -4.0]));
  assert.is(b.zeroPoint, 255);
  assert.equal([...b.y], [191, 121, 172, 96, 42, 0]);
  const c = dynamicQuantizeLinear(Float32Array.from([1, 2.1, 1.3, 2.5, 3.34, 4.0, 1.5, 2.6, 3.9, 4.0, 3.0, 2.345]));
  assert.is(c.zeroPoint, 0);
  assert.equal([...c.y], [64, 134, 83, 159, 213, 255, 96, 166, 249, 255, 191, 149]);
});

test('DynamicQuantizeLinear: all-zero input gives scale 1 (onnxruntime qmath.h), round trip error ≤ scale/2', () => {
  const z = dynamicQuantizeLinear(new Float32Array(4));
  assert.is(z.scale, 1);
  assert.is(z.zeroPoint, 0);
  const x = randomWeight(4, 50, 1, 3);
  const q = dynamicQuantizeLinear(x);
  const back = dequantizeLinear(q);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(back[i] - x[i]) <= q.scale / 2 + 1e-6);
});

test('smoothing factors s_j = max|X_j|^α / max|W_j|^(1−α) (computed by hand)', () => {
  // actMax = [4, 1], rows of W have max |w| = [1, 4]; α = 0.5 -> [2/1, 1/2].
  const W = Float32Array.from([1, -0.5, 0.25, -4]);
  assert.equal([...smoothingFactors(Float64Array.from([4, 1]), W, 2, 2, 0.5)], [2, 0.5]);
});

test('the layer is unchanged before quantization; int8 weights per column are exact to scale/2', () => {
  const K = 32;
  const N = 8;
  const T = 40;
  const W = randomWeight(1, K, N);
  const X = correlatedInputs(1, T, K, { outliers: 3 });
  const r = smoothQuant(W, K, N, X);
  const Xs = X.map((v, i) => v / r.smoothingFactors[i % K]);
  const a = naiveMatmul(X, T, K, W, N);
  const b = naiveMatmul(Xs, T, K, r.smoothedWeight, N);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, Math.abs(a[i])));
  assert.is(r.weightScales.length, N);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) {
      const i = k * N + n;
      assert.ok(Math.abs(r.weightInt8[i] * r.weightScales[n] - r.smoothedWeight[i]) <= r.weightScales[n] / 2 + 1e-7);
    }
  }
});

test('smoothing lowers W8A8 output error on inputs with outlier channels', () => {
  const K = 64;
  const N = 16;
  const T = 96;
  for (const seed of [1, 2, 3]) {
    const W = randomWeight(seed, K, N);
    const X = correlatedInputs(seed, T, K, { outliers: 4, outlierScale: 60 });
    const smoothed = smoothQuant(W, K, N, X, { alpha: 0.5 });
    // Naive W8A8 without smoothing: per-column int8 weights, per-tensor uint8 activations.
    const plain = smoothQuant(W, K, N, X, { alpha: 0 });
    const xq = dequantizeLinear(dynamicQuantizeLinear(X));
    const wq = new Float32Array(K * N);
    for (let n = 0; n < N; n++) {
      let m = 0;
      for (let k = 0; k < K; k++) m = Math.max(m, Math.abs(W[k * N + n]));
      for (let k = 0; k < K; k++) wq[k * N + n] = Math.round((W[k * N + n] / m) * 127) * (m / 127);
    }
    const noSmoothing = naiveRelError(naiveMatmul(X, T, K, W, N), naiveMatmul(xq, T, K, wq, N));
    assert.ok(smoothed.stats.outputError < noSmoothing, `seed ${seed}: ${smoothed.stats.outputError} vs ${noSmoothing}`);
    assert.ok(plain.stats.outputError > 0);
  }
});

test('MatMulInteger reference equals the float simulation of the same quantization', () => {
  const K = 32;
  const N = 6;
  const T = 12;
  const W = randomWeight(7, K, N);
  const X = correlatedInputs(7, T, K, { outliers: 2 });
  const r = smoothQuant(W, K, N, X);
  const Xs = X.map((v, i) => v / r.smoothingFactors[i % K]);
  const yInt = matMulIntegerReference(Xs, T, matMulIntegerWeights(r));
  const dq = Float32Array.from(r.weightInt8, (v, i) => v * r.weightScales[i % N]);
  const ySim = naiveMatmul(dequantizeLinear(dynamicQuantizeLinear(Xs)), T, K, dq, N);
  for (let i = 0; i < yInt.length; i++) assert.ok(Math.abs(yInt[i] - ySim[i]) <= 1e-4 * Math.max(1, Math.abs(ySim[i])), `element ${i}`);
  const tensor = smoothQuant(W, K, N, X, { weightGranularity: 'tensor' });
  assert.is(tensor.weightScales.length, 1);
  assert.is(tensor.weightZeroPoints.length, 1);
});

test.run();
