import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bootstrapInterval, bootstrapMeanInterval, meanAt } from '../../../core/stats/bootstrap.js';
import { createRng } from '../../../core/rng.js';

const test = suite('core/stats/bootstrap');

const X = [2.0, 4.0, 4.0, 5.0, 7.0, 9.0, 3.5, 6.5];

test('matches an independent Python re-implementation (mulberry32 seed 7, B = 2000, numpy type-7 quantiles)', () => {
  // Python 3 + NumPy 2.4: same mulberry32 stream, idx = floor(u·n), np.quantile(reps, [.025, .975])
  // printed [3.75, 6.6265625].
  const ci = bootstrapMeanInterval(X, { seed: 7 });
  assert.ok(Math.abs(ci.low - 3.75) < 1e-9, `low ${ci.low}`);
  assert.ok(Math.abs(ci.high - 6.6265625) < 1e-9, `high ${ci.high}`);
});

test('same seed, same interval; another seed, another interval', () => {
  assert.equal(bootstrapMeanInterval(X, { seed: 1 }), bootstrapMeanInterval(X, { seed: 1 }));
  assert.not.equal(bootstrapMeanInterval(X, { seed: 1 }), bootstrapMeanInterval(X, { seed: 2 }));
});

test('constant data give a zero-width interval at the constant', () => {
  assert.equal(bootstrapMeanInterval([0.25, 0.25, 0.25]), { low: 0.25, high: 0.25 });
});

test('large normal sample: close to mean ± 1.959964·sd/√n', () => {
  const rng = createRng(11);
  const values = Array.from({ length: 4000 }, () => 10 + 2 * rng.normal());
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
  const half = (1.959964 * sd) / Math.sqrt(values.length);
  const ci = bootstrapMeanInterval(values, { seed: 5, resamples: 1000 });
  // Monte Carlo error of a 1000-resample percentile: a few percent of the half-width.
  assert.ok(Math.abs(ci.low - (m - half)) < 0.15 * half, `low ${ci.low} vs ${m - half}`);
  assert.ok(Math.abs(ci.high - (m + half)) < 0.15 * half, `high ${ci.high} vs ${m + half}`);
});

test('generic statistic receives resampled indices; options are checked', () => {
  const ci = bootstrapInterval(4, (idx) => meanAt([1, 1, 1, 1], idx), { resamples: 10 });
  assert.equal(ci, { low: 1, high: 1 });
  assert.throws(() => bootstrapInterval(0, () => 0), /n must be/);
  assert.throws(() => bootstrapInterval(3, () => 0, { resamples: 0 }), /options.resamples/);
  assert.throws(() => bootstrapInterval(3, () => 0, { level: 1 }), /options.level/);
});

test.run();
