import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assignCounts, bucketOf, FACT_COUNT_PLAN } from '../../../datasets/corpus/frequency.js';
import { createRng, shuffled } from '../../../datasets/corpus/rng.js';

const test = suite('datasets/corpus/rng');

test('mulberry32 reference values', () => {
  // reference: computed independently with a Python transcription of mulberry32 (seed 1)
  const r = createRng(1);
  assert.is(r.next(), 0.6270739405881613);
});

test('shuffle is a permutation and deterministic', () => {
  const xs = Array.from({ length: 50 }, (_, i) => i);
  const a = shuffled(xs, createRng(9));
  assert.equal(a, shuffled(xs, createRng(9)));
  assert.equal([...a].sort((p, q) => p - q), xs);
  assert.not.equal(a, xs);
});

test('assignCounts follows the plan shares and ranges', () => {
  const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
  const counts = assignCounts(keys, FACT_COUNT_PLAN, createRng(3));
  const vals = [...counts.values()];
  assert.is(vals.filter((v) => v >= 20 && v <= 60).length, 300);
  assert.is(vals.filter((v) => v >= 5 && v <= 19).length, 200);
  assert.is(vals.filter((v) => v >= 1 && v <= 4).length, 500);
  assert.is(bucketOf(20), '20-99');
  assert.is(bucketOf(4), '1-4');
  assert.is(bucketOf(100), '100+');
});

test.run();
