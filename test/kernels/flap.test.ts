import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { allocateGlobally, channelFluctuation, compensationBias, pruneFlapLayer, standardize } from '../../kernels/flap.js';
import type { FfnWeights } from '../../kernels/structured-shrink.js';
import { correlatedInputs, randomWeight } from './fixtures.js';

const test = suite('kernels/flap');

test('fixed example (by hand): fluctuation = sample variance × squared row norm of W_down', () => {
  // X (3,2) = [[1,0],[2,0],[3,4]]: means 2 and 4/3; sample variances 1 and (16+16+64)/9/2 = 16/3.
  // W_down (2,1) = [[2],[1]] -> fluctuation [1·4, 16/3·1].
  const s = channelFluctuation(Float32Array.from([1, 0, 2, 0, 3, 4]), 2, Float32Array.from([2, 1]), 1);
  assert.equal([...s.mean].map((v) => +v.toFixed(6)), [2, 1.333333]);
  assert.equal([...s.fluctuation].map((v) => +v.toFixed(6)), [4, 5.333333]);
  // removing channel 1 adds back x̄_1·W_1 = 4/3
  assert.equal([...compensationBias(s.mean, Float32Array.from([2, 1]), 1, [0])].map((v) => +v.toFixed(6)), [1.333333]);
});

function ffn(seed: number, hidden: number, F: number): FfnWeights {
  return { gate: randomWeight(seed, hidden, F), up: randomWeight(seed + 1, hidden, F), down: randomWeight(seed + 2, F, hidden), hidden, intermediate: F };
}

/** X with per-channel offsets, so means are far from 0 (what the bias compensates). */
function offsetInputs(seed: number, T: number, F: number): Float32Array {
  const X = correlatedInputs(seed, T, F);
  for (let t = 0; t < T; t++) for (let j = 0; j < F; j++) X[t * F + j] += (j % 5) - 2;
  return X;
}

test('published property: after bias compensation, removing one channel costs exactly (T − 1)·fluctuation', () => {
  // FLAP §3: the mean contribution is restored by the bias, so the remaining output error of channel j
  // is Σ_t Σ_n ((x_tj − x̄_j) W_jn)² = (T − 1)·var_j·‖W_j‖², the fluctuation metric itself.
  const [T, F, H] = [40, 12, 6];
  const w = ffn(3, H, F);
  const X = offsetInputs(3, T, F);
  const stats = channelFluctuation(X, F, w.down, H);
  let yy = 0;
  for (let t = 0; t < T; t++) for (let n = 0; n < H; n++) {
    let y = 0;
    for (let j = 0; j < F; j++) y += X[t * F + j] * w.down[j * H + n];
    yy += y * y;
  }
  for (const j of [0, 4, 11]) {
    const kept = Int32Array.from({ length: F - 1 }, (_, i) => (i < j ? i : i + 1));
    const r = pruneFlapLayer(w, X, stats, kept);
    const err = r.downOutputError * yy;
    assert.ok(Math.abs(err - (T - 1) * stats.fluctuation[j]) < 1e-6 * (1 + err), `channel ${j}: ${err} vs ${(T - 1) * stats.fluctuation[j]}`);
    // without the bias the error also holds T·(x̄_j)²‖W_j‖²: the compensation helps when the mean is not 0
    const noBias = err + T * stats.mean[j] ** 2 * Array.from({ length: H }, (_, n) => w.down[j * H + n] ** 2).reduce((a, b) => a + b, 0);
    if (Math.abs(stats.mean[j]) > 0.5) assert.ok(err < noBias);
  }
});

test('standardize: mean 0 and sample sd 1; a constant layer scores 0', () => {
  const z = standardize([1, 2, 3, 10]);
  const mean = z.reduce((a, b) => a + b, 0) / 4;
  const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
  assert.ok(Math.abs(mean) < 1e-12 && Math.abs(sd - 1) < 1e-12);
  assert.equal([...standardize([5, 5, 5])], [0, 0, 0]);
});

test('global allocation: removes floor(ratio·total) lowest standardized scores across layers (naive sort), layers keep different counts, each at least one', () => {
  const layers = [Float64Array.from([-2, -1.5, 0.5, 1, 2]), Float64Array.from([-0.1, 0, 0.1, 0.2, -0.2]), Float64Array.from([-3, -2.9, -2.8, 9, 0])];
  const kept = allocateGlobally(layers, 0.4);
  const all = layers.flatMap((s, l) => [...s].map((v, j) => ({ l, j, v }))).sort((a, b) => a.v - b.v);
  const removed = new Set(all.slice(0, 6).map((u) => `${u.l}/${u.j}`));
  layers.forEach((s, l) => assert.equal([...kept[l]], [...s.keys()].filter((j) => !removed.has(`${l}/${j}`)), `layer ${l}`));
  assert.equal(kept.map((k) => k.length), [3, 4, 2]);
  const floor = allocateGlobally([Float64Array.from([-5, -4]), Float64Array.from([1, 2])], 0.5);
  assert.equal(floor.map((k) => k.length), [1, 1], 'the lowest layer keeps one channel; the budget moves on');
});

test('compensation bias matches a naive sum and lowers the output error against no bias', () => {
  const [T, F, H] = [30, 16, 8];
  const w = ffn(9, H, F);
  const X = offsetInputs(9, T, F);
  const stats = channelFluctuation(X, F, w.down, H);
  const kept = allocateGlobally([standardize(stats.fluctuation)], 0.5)[0];
  const r = pruneFlapLayer(w, X, stats, kept);
  const keptSet = new Set(kept);
  for (let n = 0; n < H; n++) {
    let b = 0;
    for (let j = 0; j < F; j++) if (!keptSet.has(j)) b += (Array.from({ length: T }, (_, t) => X[t * F + j]).reduce((a, c) => a + c, 0) / T) * w.down[j * H + n];
    assert.ok(Math.abs(b - r.bias[n]) < 1e-5, `b[${n}]`);
  }
  const zero = pruneFlapLayer(w, X, { ...stats, mean: new Float64Array(F) }, kept);
  assert.ok(r.downOutputError < zero.downOutputError, `${r.downOutputError} vs ${zero.downOutputError}`);
  assert.is(r.shrunk.intermediate, kept.length);
});

test.run();
