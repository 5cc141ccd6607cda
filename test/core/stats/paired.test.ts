import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pairedDelta } from '../../../core/stats/paired.js';
import { bootstrapMeanInterval } from '../../../core/stats/bootstrap.js';
import { createRng } from '../../../core/rng.js';

const test = suite('core/stats/paired');

test('matches an independent Python re-implementation (seed 3, B = 500)', () => {
  const base = [1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1];
  const vari = [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0];
  // Python: joint indices from mulberry32(3), Δ of means per resample, np.quantile -> [-0.41666667, 0.16666667].
  const d = pairedDelta(base, vari, { seed: 3, resamples: 500 });
  assert.is(d.n, 12);
  assert.ok(Math.abs(d.delta - (6 / 12 - 8 / 12)) < 1e-12);
  assert.ok(Math.abs(d.low - -5 / 12) < 1e-9, `low ${d.low}`);
  assert.ok(Math.abs(d.high - 2 / 12) < 1e-9, `high ${d.high}`);
});

test('a constant shift gives a zero-width interval at the shift', () => {
  const rng = createRng(4);
  const base = Array.from({ length: 50 }, () => rng.next());
  const d = pairedDelta(base, base.map((x) => x + 0.1));
  assert.ok(Math.abs(d.delta - 0.1) < 1e-12);
  assert.ok(Math.abs(d.low - 0.1) < 1e-12 && Math.abs(d.high - 0.1) < 1e-12);
});

test('pairing cancels shared instance variance: much narrower than an unpaired interval', () => {
  const rng = createRng(9);
  const difficulty = Array.from({ length: 300 }, () => 5 * rng.normal());
  const base = difficulty.map((x) => x + 0.1 * rng.normal());
  const vari = difficulty.map((x) => x - 0.05 + 0.1 * rng.normal());
  const paired = pairedDelta(base, vari, { seed: 1 });
  const unpairedWidth =
    bootstrapMeanInterval(base, { seed: 1 }).high - bootstrapMeanInterval(base, { seed: 1 }).low;
  assert.ok(paired.high - paired.low < unpairedWidth / 10);
  assert.ok(paired.high < 0, 'the -0.05 shift is detected');
});

test('unequal lengths and empty input throw', () => {
  assert.throws(() => pairedDelta([1, 0], [1]), /pair them/);
  assert.throws(() => pairedDelta([], []), /no paired/);
});

test.run();
