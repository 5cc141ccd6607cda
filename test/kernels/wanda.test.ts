import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pruneMagnitude } from '../../kernels/magnitude.js';
import { pruneWanda } from '../../kernels/wanda.js';
import { correlatedInputs, randomWeight } from './fixtures.js';

const test = suite('kernels/wanda');

test('fixed example (computed by hand): activation norms change the choice', () => {
  // W (2,1) = [1, 0.5]; X rows [0.1, 4], [0, 3] -> ‖X_0‖ = 0.1, ‖X_1‖ = 5;
  // scores 0.1 and 2.5 -> at 50% the larger weight (row 0) is pruned.
  const r = pruneWanda(Float32Array.from([1, 0.5]), 2, 1, Float32Array.from([0.1, 4, 0, 3]), 0.5);
  assert.equal([...r.mask], [0, 1]);
  assert.equal([...pruneMagnitude(Float32Array.from([1, 0.5]), 2, 1, 0.5).mask], [1, 0]);
});

test('per output column: the same count pruned in every column; matches a naive sort', () => {
  const K = 32;
  const N = 8;
  const W = randomWeight(3, K, N);
  const X = correlatedInputs(3, 50, K, { outliers: 2 });
  const r = pruneWanda(W, K, N, X, 0.5);
  const norms = Array.from({ length: K }, (_, k) => Math.sqrt(Array.from({ length: 50 }, (_, t) => X[t * K + k] ** 2).reduce((a, b) => a + b, 0)));
  for (let n = 0; n < N; n++) {
    const order = Array.from({ length: K }, (_, k) => k).sort((a, b) => Math.abs(W[a * N + n]) * norms[a] - Math.abs(W[b * N + n]) * norms[b] || a - b);
    for (let i = 0; i < K; i++) assert.is(r.mask[order[i] * N + n], i < K / 2 ? 0 : 1, `column ${n} rank ${i}`);
  }
  assert.is(r.sparsity, 0.5);
});

test('lower output error than magnitude pruning on inputs with outlier channels', () => {
  const K = 64;
  const N = 32;
  for (const seed of [1, 2, 3]) {
    const W = randomWeight(seed, K, N);
    const X = correlatedInputs(seed, 80, K, { outliers: 6, outlierScale: 10 });
    const w = pruneWanda(W, K, N, X, 0.5);
    const m = pruneMagnitude(W, K, N, 0.5);
    const mErr = (() => {
      // Output error of the magnitude mask on the same X.
      let num = 0;
      let den = 0;
      for (let t = 0; t < 80; t++) {
        for (let n = 0; n < N; n++) {
          let y = 0;
          let e = 0;
          for (let k = 0; k < K; k++) {
            y += X[t * K + k] * W[k * N + n];
            e += X[t * K + k] * (W[k * N + n] - m.pruned[k * N + n]);
          }
          num += e * e;
          den += y * y;
        }
      }
      return num / den;
    })();
    assert.ok(w.stats.outputError! < mErr, `seed ${seed}: wanda ${w.stats.outputError} magnitude ${mErr}`);
  }
});

test.run();
