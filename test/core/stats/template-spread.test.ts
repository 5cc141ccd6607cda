import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { templateSpread } from '../../../core/stats/template-spread.js';

const test = suite('core/stats/template-spread');

test('range and sample SD of three template scores, worked by hand', () => {
  // 186/300, 160/300, 187/300: mean 533/900; deviations (25, −53, 28)/900; Σd² = 4218/810000; SD = √(Σd²/2).
  const s = templateSpread([
    { template: 'primary', value: 186 / 300, n: 300 },
    { template: 'no-instruction', value: 160 / 300, n: 300 },
    { template: 'reworded', value: 187 / 300, n: 300 },
  ]);
  assert.is(s.templates, 3);
  assert.is(s.min, 160 / 300);
  assert.is(s.max, 187 / 300);
  assert.ok(Math.abs(s.range! - 27 / 300) < 1e-15);
  assert.ok(Math.abs(s.mean! - 533 / 900) < 1e-15);
  assert.ok(Math.abs(s.sd! - Math.sqrt(4218 / 810000 / 2)) < 1e-15);
  assert.is(s.complete, true);
});

test('an errored template leaves the spread partial; one value has no range or SD; none has nothing', () => {
  const partial = templateSpread([{ template: 'primary', value: 0.5, n: 4 }, { template: 'x', value: null, n: 0 }, { template: 'y', value: 0.25, n: 4 }]);
  assert.equal([partial.templates, partial.range, partial.sd, partial.complete], [2, 0.25, Math.sqrt(0.03125), false]);
  const one = templateSpread([{ template: 'primary', value: 0.5, n: 4 }, { template: 'x', value: null, n: 0 }]);
  assert.equal([one.templates, one.min, one.range, one.sd], [1, 0.5, null, null]);
  assert.equal(templateSpread([{ template: 'primary', value: null, n: 0 }]).mean, null);
});

test.run();
