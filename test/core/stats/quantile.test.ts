import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { quantileSorted } from '../../../core/stats/quantile.js';

const test = suite('core/stats/quantile');

test('type 7: matches R quantile(1:10, c(.25, .5, .975)) = 3.25, 5.5, 9.775', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.ok(Math.abs(quantileSorted(x, 0.25) - 3.25) < 1e-12);
  assert.ok(Math.abs(quantileSorted(x, 0.5) - 5.5) < 1e-12);
  assert.ok(Math.abs(quantileSorted(x, 0.975) - 9.775) < 1e-12);
  assert.is(quantileSorted(x, 0), 1);
  assert.is(quantileSorted(x, 1), 10);
});

test('rejects an empty sample and q outside [0, 1]', () => {
  assert.throws(() => quantileSorted([], 0.5), /empty/);
  assert.throws(() => quantileSorted([1], 1.5), /q must be/);
});

test.run();
