import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { wilsonInterval } from '../../../core/stats/wilson.js';

const test = suite('core/stats/wilson');

// Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison
// of seven methods", Stat. Med. 17:857-872, Table II, method 3 (Wilson score, no
// continuity correction), rounded to 4 decimals there.
const NEWCOMBE: [number, number, number, number][] = [
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0.0, 0.1611],
  [1, 29, 0.0061, 0.1718],
];

test('matches Newcombe 1998 Table II (Wilson, method 3)', () => {
  for (const [k, n, low, high] of NEWCOMBE) {
    const ci = wilsonInterval(k, n);
    assert.ok(Math.abs(ci.low - low) < 5e-5, `${k}/${n} low ${ci.low} vs ${low}`);
    assert.ok(Math.abs(ci.high - high) < 5e-5, `${k}/${n} high ${ci.high} vs ${high}`);
  }
});

test('stays inside [0, 1] at the ends; 0/10 upper bound is z²/(n+z²)', () => {
  const zero = wilsonInterval(0, 10);
  assert.is(zero.low, 0);
  // For k = 0 the upper bound has the closed form z²/(n + z²) = 3.841459/13.841459.
  assert.ok(Math.abs(zero.high - 3.841459 / 13.841459) < 1e-6);
  const all = wilsonInterval(29, 29);
  assert.is(all.high, 1);
  assert.ok(Math.abs(all.low - 0.88303) < 1e-5);
});

test('n = 0 is the know-nothing interval; bad counts throw', () => {
  assert.equal(wilsonInterval(0, 0), { low: 0, high: 1 });
  assert.throws(() => wilsonInterval(5, 4), /successes/);
  assert.throws(() => wilsonInterval(1, 2.5), /integer/);
});

test.run();
