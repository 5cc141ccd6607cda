import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { summarizeScores, wilsonInterval, type Summary } from '../../../core/stats/index.js';
import {
  checkAbsoluteDrop,
  checkCeiling,
  checkFlipRate,
  checkFloor,
  checkMeasured,
  checkNoninferiorityPaired,
  checkNoninferiorityUnpaired,
  checkRecovery,
  checkRelativeDrop,
} from '../../../reports/gate/checks.js';
import { ones } from './fixtures.js';

const test = suite('reports/gate/checks');

function proportion(k: number, n: number): Summary {
  const ci = wilsonInterval(k, n);
  return { n, value: k / n, low: ci.low, high: ci.high, method: 'wilson', tooFew: false };
}

test('floor and ceiling are literal bounds, equality passes', () => {
  assert.is(checkFloor(0.7, 0.7).verdict, 'pass');
  const low = checkFloor(0.69, 0.7);
  assert.is(low.verdict, 'fail');
  assert.is(low.reason, '0.69 < 0.7 (floor)');
  assert.is(checkCeiling(0.65, 0.65).verdict, 'pass');
  assert.is(checkCeiling(0.66, 0.65).verdict, 'fail');
});

test('relative_drop: acc ≥ base·(1−tol); lower-is-better: ≤ base·(1+tol)', () => {
  const r = checkRelativeDrop(0.77, 0.8, 0.05, true);
  assert.ok(Math.abs(r.bound - 0.76) < 1e-12);
  assert.is(r.verdict, 'pass');
  assert.is(checkRelativeDrop(0.75, 0.8, 0.05, true).verdict, 'fail');
  const ppl = checkRelativeDrop(10.9, 10, 0.1, false);
  assert.ok(Math.abs(ppl.bound - 11) < 1e-12);
  assert.is(ppl.verdict, 'pass');
  assert.is(checkRelativeDrop(11.1, 10, 0.1, false).verdict, 'fail');
});

test('absolute_drop: acc ≥ base − tol; lower-is-better: ≤ base + tol', () => {
  assert.ok(Math.abs(checkAbsoluteDrop(0.7, 0.8, 0.1, true).bound - 0.7) < 1e-12);
  assert.is(checkAbsoluteDrop(0.71, 0.8, 0.1, true).verdict, 'pass');
  assert.is(checkAbsoluteDrop(0.69, 0.8, 0.1, true).verdict, 'fail');
  assert.is(checkAbsoluteDrop(0.74, 0.7, 0.05, false).verdict, 'pass');
  assert.is(checkAbsoluteDrop(0.76, 0.7, 0.05, false).verdict, 'fail');
});

test('recovery: variant/base (base/variant when lower is better); zero denominator fails', () => {
  const r = checkRecovery(0.76, 0.8, 0.95, true);
  assert.ok(Math.abs(r.value! - 0.95) < 1e-12);
  assert.is(r.verdict, 'pass');
  assert.is(checkRecovery(0.75, 0.8, 0.95, true).verdict, 'fail');
  const ppl = checkRecovery(12, 10, 0.9, false);
  assert.ok(Math.abs(ppl.value! - 10 / 12) < 1e-12);
  assert.is(ppl.verdict, 'fail');
  const zero = checkRecovery(0.5, 0, 0.95, true);
  assert.is(zero.verdict, 'fail');
  assert.is(zero.value, null);
  assert.match(zero.reason, /undefined: baseline is 0/);
});

test('noninferiority (paired): lower CI bound above −margin; upper bound below +margin when lower is better', () => {
  const delta = { n: 100, baselineMean: 0.8, variantMean: 0.78, delta: -0.02, low: -0.04, high: 0 };
  const pass = checkNoninferiorityPaired(delta, 0.05, true);
  assert.is(pass.value, -0.04);
  assert.is(pass.bound, -0.05);
  assert.is(pass.verdict, 'pass');
  assert.is(checkNoninferiorityPaired(delta, 0.04, true).verdict, 'fail', 'strictly above −margin');
  const ppl = { n: 60, baselineMean: 10, variantMean: 10.3, delta: 0.3, low: 0.1, high: 0.6 };
  const lib = checkNoninferiorityPaired(ppl, 0.5, false);
  assert.is(lib.value, 0.6);
  assert.is(lib.bound, 0.5);
  assert.is(lib.verdict, 'fail');
  assert.is(checkNoninferiorityPaired(ppl, 0.7, false).verdict, 'pass');
  assert.is(checkNoninferiorityPaired({ ...delta, low: NaN }, 0.05, true).verdict, 'fail');
});

test("noninferiority (unpaired slice): Newcombe's method 10 reproduces his worked example", () => {
  // Newcombe 1998, Stat Med 17:873-890, Table II example (a): 56/70 − 48/80, method 10: 0.0524 to 0.3339.
  const r = checkNoninferiorityUnpaired(proportion(56, 70), proportion(48, 80), 0.05, true);
  assert.ok(Math.abs(r.value! - 0.0524) < 5e-5, String(r.value));
  assert.match(r.reason, /\[0\.05243, 0\.3339\]/);
  assert.is(r.verdict, 'pass');
  // Reversed (variant 48/80 against baseline 56/70): Δ interval −0.3339 to −0.0524, fails a 0.3 margin.
  const worse = checkNoninferiorityUnpaired(proportion(48, 80), proportion(56, 70), 0.3, true);
  assert.ok(Math.abs(worse.value! + 0.3339) < 5e-5, String(worse.value));
  assert.is(worse.verdict, 'fail');
  // Lower is better: the upper bound is tested against +margin.
  const lib = checkNoninferiorityUnpaired(proportion(56, 70), proportion(48, 80), 0.3, false);
  assert.ok(Math.abs(lib.value! - 0.3339) < 5e-5);
  assert.is(lib.verdict, 'fail');
});

test('max_flip_rate: right→wrong by default, both directions with "any"', () => {
  const flips = { n: 100, bothRight: 70, bothWrong: 20, rightToWrong: 6, wrongToRight: 4, rightToWrongRate: 0.06, wrongToRightRate: 0.04, flipRate: 0.1, mcnemarP: 0.75 };
  assert.is(checkFlipRate(flips, 0.06, 'right_to_wrong').verdict, 'pass');
  assert.is(checkFlipRate(flips, 0.05, 'right_to_wrong').verdict, 'fail');
  const any = checkFlipRate(flips, 0.08, 'any');
  assert.is(any.value, 0.1);
  assert.is(any.verdict, 'fail');
});

test('measured ceilings', () => {
  assert.is(checkMeasured(12, 12, '').verdict, 'pass');
  assert.is(checkMeasured(12.5, 12, '').verdict, 'fail');
  // A Summary from the real summarizer feeds the unpaired check unchanged.
  const s = summarizeScores(ones(80, 100));
  assert.is(checkNoninferiorityUnpaired(s, s, 0.2, true).verdict, 'pass');
});

test.run();
