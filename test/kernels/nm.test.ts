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

test('fixed tails (computed by hand): a tail of r < M keeps its min(N, r) best', () => {
  // K = 7, 2:4: block [0.1, -3, 2, 0.5] keeps -3, 2; tail [1, -4, 0.2] (r = 3) keeps -4, 1.
  const r = pruneNm(Float32Array.from([0.1, -3, 2, 0.5, 1, -4, 0.2]), 7, 1, 2, 4);
  assert.equal([...r.mask], [0, 1, 1, 0, 1, 1, 0]);
  // K = 6, 2:4: the tail [0.3, -0.1] (r = 2 = N) stays dense.
  assert.equal([...pruneNm(Float32Array.from([4, 3, 2, 1, 0.3, -0.1]), 6, 1, 2, 4).mask], [1, 1, 0, 0, 1, 1]);
  // K = 5, 1:4: the tail [0.5] keeps its one weight.
  assert.equal([...pruneNm(Float32Array.from([4, 3, 2, 1, 0.5]), 5, 1, 1, 4).mask], [1, 0, 0, 0, 1]);
});

/** Naive N:M: per column, sort each M-run (the tail run shorter) by score desc, index asc, keep min(N, run) first. */
function naiveNm(score: Float32Array, K: number, N: number, n: number, m: number): Uint8Array {
  const mask = new Uint8Array(K * N);
  for (let col = 0; col < N; col++) {
    for (let b = 0; b < K; b += m) {
      const rows = Array.from({ length: Math.min(m, K - b) }, (_, j) => b + j);
      rows.sort((x, y) => score[y * N + col] - score[x * N + col] || x - y);
      for (const k of rows.slice(0, n)) mask[k * N + col] = 1;
    }
  }
  return mask;
}

test('K = 172 with 2:4, 4:8, 3:8, 2:5: magnitude and Wanda masks match the naive reference', () => {
  const K = 172;
  const N = 6;
  const W = randomWeight(41, K, N);
  const X = correlatedInputs(41, 20, K, { outliers: 3 });
  const norms = Array.from({ length: K }, (_, k) => Math.sqrt(Array.from({ length: 20 }, (_, t) => X[t * K + k] ** 2).reduce((a, v) => a + v, 0)));
  const wanda = Float32Array.from(W, (w, i) => Math.abs(w) * norms[Math.floor(i / N)]);
  for (const [n, m] of [[2, 4], [4, 8], [3, 8], [2, 5]] as const) {
    const mag = pruneNm(W, K, N, n, m);
    assert.equal([...mag.mask], [...naiveNm(Float32Array.from(W, Math.abs), K, N, n, m)], `magnitude ${n}:${m}`);
    const wa = pruneNm(W, K, N, n, m, X);
    assert.equal([...wa.mask], [...naiveNm(wanda, K, N, n, m)], `wanda ${n}:${m}`);
    const tail = K % m;
    const kept = (Math.floor(K / m) * n + Math.min(n, tail)) * N;
    assert.is(mag.sparsity, (K * N - kept) / (K * N), `${n}:${m} sparsity`);
  }
});

test('bad patterns are InputErrors', () => {
  assert.throws(() => pruneNm(new Float32Array(8), 8, 1, 4, 4), inputError(/N < M/));
  assert.throws(() => pruneNm(new Float32Array(8), 8, 1, 0, 4), inputError(/N < M/));
});

test.run();
