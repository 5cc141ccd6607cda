import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pruneMagnitude } from '../../kernels/magnitude.js';
import { inputError, randomWeight } from './fixtures.js';

const test = suite('kernels/magnitude');

test('fixed vector (computed by hand): the 3 smallest |w| of 6 go', () => {
  // |W| = [3, 1, 0.5, 2, 4, 0.1]; sparsity 0.5 -> remove 0.1, 0.5, 1.
  const r = pruneMagnitude(Float32Array.from([3, -1, 0.5, -2, 4, 0.1]), 3, 2, 0.5);
  assert.equal([...r.mask], [1, 0, 0, 1, 1, 0]);
  assert.equal([...r.pruned], [3, 0, 0, -2, 4, 0]);
  assert.is(r.sparsity, 0.5);
  assert.is(r.stats.maxAbsError, 1);
});

test('exact count with ties (lower index first) and against a naive sort', () => {
  assert.equal([...pruneMagnitude(Float32Array.from([1, -1, 1, -1]), 2, 2, 0.5).mask], [0, 0, 1, 1]);
  const W = randomWeight(12, 64, 16);
  for (const s of [0, 0.1, 0.25, 0.5, 0.9]) {
    const r = pruneMagnitude(W, 64, 16, s);
    const order = Array.from(W.keys()).sort((a, b) => Math.abs(W[a]) - Math.abs(W[b]) || a - b);
    const expected = new Uint8Array(W.length).fill(1);
    for (let i = 0; i < Math.floor(s * W.length); i++) expected[order[i]] = 0;
    assert.equal([...r.mask], [...expected], `sparsity ${s}`);
  }
});

test('sparsity outside [0, 1) is an InputError', () => {
  assert.throws(() => pruneMagnitude(new Float32Array(4), 2, 2, 1), inputError(/\[0, 1\)/));
  assert.throws(() => pruneMagnitude(new Float32Array(4), 2, 2, -0.1), inputError(/sparsity/));
});

test.run();
