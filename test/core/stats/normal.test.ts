import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { normalCdf, normalQuantile } from '../../../core/stats/normal.js';

const test = suite('core/stats/normal');

// Reference quantiles: R qnorm() (to 7 digits).
const QUANTILES: readonly [number, number][] = [
  [0.5, 0],
  [0.8, 0.8416212],
  [0.9, 1.2815516],
  [0.975, 1.959964],
  [0.995, 2.5758293],
  [0.01, -2.3263479],
  [0.001, -3.0902323],
];

test('normalQuantile matches R qnorm to 1e-7', () => {
  for (const [p, z] of QUANTILES) assert.ok(Math.abs(normalQuantile(p) - z) < 1e-7, `Φ⁻¹(${p}) = ${normalQuantile(p)}, expected ${z}`);
});

test('normalCdf inverts normalQuantile (1.2e-7, erfc\'s precision)', () => {
  for (const p of [0.001, 0.02, 0.3, 0.5, 0.8, 0.975, 0.999]) assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 2e-7, `p ${p}`);
});

test('p outside (0, 1) throws', () => {
  assert.throws(() => normalQuantile(0), /\(0, 1\)/);
  assert.throws(() => normalQuantile(1), /\(0, 1\)/);
  assert.throws(() => normalQuantile(Number.NaN), /\(0, 1\)/);
});

test.run();
