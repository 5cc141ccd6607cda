import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng, randomNormalArray } from '../../core/rng.js';

const test = suite('core/rng');

test('mulberry32 reference values for seed 0', () => {
  // mulberry32(0) from the public-domain reference implementation: first three outputs · 2^32.
  const r = createRng(0);
  assert.equal([r.next(), r.next(), r.next()].map((v) => Math.round(v * 4294967296)), [1144304738, 1416247, 958946056]);
});

test('deterministic per seed, different across seeds, uniform in [0, 1)', () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.equal(xs, Array.from({ length: 1000 }, () => b.next()));
  assert.not.equal(xs.slice(0, 5), Array.from({ length: 5 }, () => c.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05);
});

test('normals have mean ≈ 0 and variance ≈ 1', () => {
  const z = randomNormalArray(createRng(7), 20000);
  let m = 0;
  for (const v of z) m += v / z.length;
  let v2 = 0;
  for (const v of z) v2 += (v - m) ** 2 / z.length;
  assert.ok(Math.abs(m) < 0.03 && Math.abs(v2 - 1) < 0.05, `mean ${m} var ${v2}`);
  const r = createRng(3);
  const ints = Array.from({ length: 200 }, () => r.int(5));
  assert.ok(ints.every((i) => Number.isInteger(i) && i >= 0 && i < 5));
});

test.run();
