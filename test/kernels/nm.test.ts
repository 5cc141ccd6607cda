import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pruneNm } from '../../kernels/nm.js';
import { correlatedInputs, inputError, randomWeight } from './fixtures.js';

const test = suite('kernels/nm');

test('fixed 2:4 column (computed by hand)', () => {
  // Column [0.1, -3, 2, 0.5 | 1, 1, 0, -1]: keep -3, 2; then ties 1, 1, -1 -> lower indices 4, 5.
  const r = pruneNm(Float32Array.from([0.1, -3, 2, 0.5, 1, 1, 0, -1]), 8, 1, 2, 4);
  assert.equal([...r.mask], [0, 1, 1, 0, 1, 1, 0, 0]);
  assert.equal([...r.pruned], [0, -3, 2, 0, 1, 1, 0, 0]);
});

test('every block has exactly N kept positions, also for all-zero weights', () => {
  const K = 32;
  const N = 5;
  for (const [n, m] of [[2, 4], [4, 8], [1, 4]] as const) {
    for (const W of [randomWeight(n * m, K, N), new Float32Array(K * N)]) {
      const r = pruneNm(W, K, N, n, m);
      for (let col = 0; col < N; col++) {
        for (let b = 0; b < K; b += m) {
          let kept = 0;
          for (let j = 0; j < m; j++) kept += r.mask[(b + j) * N + col];
          assert.is(kept, n);
        }
      }
      assert.is(r.sparsity, 1 - n / m);
    }
  }
});

test('with calibration X the selection uses Wanda scores', () => {
  // W column [1, 0.9, 0.1, 0.1]; feature norms [0.01, 1, 1, 50]: scores 0.01, 0.9, 0.1, 5 -> keep rows 1, 3.
  const X = Float32Array.from([0.01, 1, 1, 50]);
  const r = pruneNm(Float32Array.from([1, 0.9, 0.1, 0.1]), 4, 1, 2, 4, X);
  assert.equal([...r.mask], [0, 1, 0, 1]);
  assert.ok(r.stats.outputError !== undefined);
  const random = pruneNm(randomWeight(1, 16, 4), 16, 4, 2, 4, correlatedInputs(1, 10, 16));
  assert.is(random.sparsity, 0.5);
});

test('bad patterns are InputErrors', () => {
  assert.throws(() => pruneNm(new Float32Array(8), 8, 1, 4, 4), inputError(/N < M/));
  assert.throws(() => pruneNm(new Float32Array(6), 6, 1, 2, 4), inputError(/does not divide K = 6/));
});

test.run();
