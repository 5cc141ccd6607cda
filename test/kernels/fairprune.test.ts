import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../core/errors.js';
import { obdSaliency, pruneFairPrune } from '../../kernels/fairprune.js';
import { pruneWanda } from '../../kernels/wanda.js';
import { correlatedInputs, randomWeight } from './fixtures.js';

const test = suite('kernels/fairprune');

test('fixed example (by hand): the protected group\'s saliency decides; β subtracts the others\'', () => {
  // W (2,1) = [1, 1]. Protected X = [1, 0.1]: mean squares [1, 0.01]; others X = [0.1, 1]: [0.01, 1].
  // β = 0: scores [1, 0.01] -> row 1 pruned; Wanda on the others' X would prune row 0 instead.
  const W = Float32Array.from([1, 1]);
  const Xp = Float32Array.from([1, 0.1]);
  const Xo = Float32Array.from([0.1, 1]);
  assert.equal([...obdSaliency(W, 2, 1, Xp)].map((v) => +v.toFixed(6)), [1, 0.01]);
  assert.equal([...pruneFairPrune(W, 2, 1, Xp, Xo, { sparsity: 0.5, beta: 0 }).mask], [1, 0]);
  assert.equal([...pruneWanda(W, 2, 1, Xo, 0.5).mask], [0, 1]);
  // β = 0.5: scores [1 − 0.005, 0.01 − 0.5] -> still row 1
  assert.equal([...pruneFairPrune(W, 2, 1, Xp, Xo, { sparsity: 0.5, beta: 0.5 }).mask], [1, 0]);
});

test('matches a naive per-column sort of S_p − β·S_o', () => {
  const [K, N, T] = [24, 6, 30];
  const W = randomWeight(4, K, N);
  const Xp = correlatedInputs(4, T, K, { outliers: 2 });
  const Xo = correlatedInputs(5, T + 7, K, { outliers: 3 });
  const beta = 0.3;
  const r = pruneFairPrune(W, K, N, Xp, Xo, { sparsity: 0.5, beta });
  const ms = (X: Float32Array, rows: number): number[] => Array.from({ length: K }, (_, k) => Array.from({ length: rows }, (_, t) => X[t * K + k] ** 2).reduce((a, b) => a + b, 0) / rows);
  const hp = ms(Xp, T);
  const ho = ms(Xo, T + 7);
  for (let n = 0; n < N; n++) {
    const s = (k: number): number => W[k * N + n] ** 2 * (hp[k] - beta * ho[k]);
    const order = Array.from({ length: K }, (_, k) => k).sort((a, b) => s(a) - s(b) || a - b);
    for (let i = 0; i < K; i++) assert.is(r.mask[order[i] * N + n], i < K / 2 ? 0 : 1, `column ${n} rank ${i}`);
  }
  assert.is(r.sparsity, 0.5);
});

test('β = 0 is Wanda on the protected group (OBD with the layer Hessian orders each column as |W|·‖X‖)', () => {
  const [K, N] = [32, 8];
  const W = randomWeight(8, K, N);
  const Xp = correlatedInputs(8, 40, K, { outliers: 2 });
  const Xo = correlatedInputs(9, 40, K);
  assert.equal([...pruneFairPrune(W, K, N, Xp, Xo, { sparsity: 0.5, beta: 0 }).mask], [...pruneWanda(W, K, N, Xp, 0.5).mask]);
});

test('published property: the protected group keeps a lower output error than pruning calibrated on the others', () => {
  // FairPrune's point: weights important to the unprivileged group survive, so its loss grows less.
  const [K, N, T] = [64, 32, 60];
  for (const seed of [1, 2, 3]) {
    const W = randomWeight(seed, K, N);
    const Xp = correlatedInputs(seed, T, K, { outliers: 6, outlierScale: 8 });
    const Xo = correlatedInputs(seed + 10, T, K, { outliers: 0 });
    const fair = pruneFairPrune(W, K, N, Xp, Xo, { sparsity: 0.5, beta: 0.2 });
    const others = pruneFairPrune(W, K, N, Xo, Xp, { sparsity: 0.5, beta: 0 });
    assert.ok(fair.protectedOutputError < others.othersOutputError, `seed ${seed}: ${fair.protectedOutputError} vs ${others.othersOutputError}`);
  }
});

test('bad β: one InputError line', () => {
  const W = Float32Array.from([1, 1]);
  assert.throws(() => pruneFairPrune(W, 2, 1, W, W, { sparsity: 0.5, beta: -1 }), (e: unknown) => e instanceof InputError && /beta must be a non-negative number, got -1/u.test((e as Error).message));
});

test.run();
