import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { precisionNote, wilsonHalfWidth } from '../../../datasets/suites/ci.js';

const test = suite('datasets/suites/ci');

test('Wilson half-width at n=100, p=0.5 and p=0.8', () => {
  // Hand computation with z=1.959964: (z / (1 + z²/n)) · sqrt(p(1−p)/n + z²/(4n²))
  // n=100, p=0.5: 1.887458 · sqrt(0.0025 + 0.00009604) = 0.096168
  assert.ok(Math.abs(wilsonHalfWidth(100, 0.5) - 0.096168) < 1e-5, String(wilsonHalfWidth(100, 0.5)));
  // n=100, p=0.8: 1.887458 · sqrt(0.0016 + 0.00009604) = 0.077731
  assert.ok(Math.abs(wilsonHalfWidth(100, 0.8) - 0.077731) < 1e-5, String(wilsonHalfWidth(100, 0.8)));
  assert.is(precisionNote(100), 'n=100; Wilson 95% CI half-width ±0.096 at p=0.5, ±0.078 at p=0.8');
});

test.run();
