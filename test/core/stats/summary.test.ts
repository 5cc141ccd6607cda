import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { summarizeRatio, summarizeScores } from '../../../core/stats/summary.js';

const test = suite('core/stats/summary');

test('0/1 scores: mean, n and the Wilson interval (81/263 → [0.2553, 0.3662], Newcombe 1998)', () => {
  const scores = Array.from({ length: 263 }, (_, i) => (i < 81 ? 1 : 0));
  const s = summarizeScores(scores);
  assert.is(s.n, 263);
  assert.is(s.method, 'wilson');
  assert.ok(Math.abs(s.value! - 81 / 263) < 1e-12);
  assert.ok(Math.abs(s.low! - 0.2553) < 5e-5 && Math.abs(s.high! - 0.3662) < 5e-5);
  assert.is(s.tooFew, false); // width 0.111 < 0.2
});

test('real-valued scores use the seeded bootstrap', () => {
  const s = summarizeScores([2.0, 4.0, 4.0, 5.0, 7.0, 9.0, 3.5, 6.5], { seed: 7, maxCiWidth: 10 });
  assert.is(s.method, 'bootstrap');
  // Same reference as bootstrap.test.ts (Python re-implementation): [3.75, 6.6265625].
  assert.ok(Math.abs(s.low! - 3.75) < 1e-9 && Math.abs(s.high! - 6.6265625) < 1e-9);
  assert.is(s.tooFew, false);
});

test('flags a cell whose interval is too wide, or that has too few instances', () => {
  // 5/10: Wilson [0.2366, 0.7634], width 0.527 > 0.2.
  assert.is(summarizeScores([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]).tooFew, true);
  assert.is(summarizeScores([1, 1, 1, 1, 1, 0, 0, 0, 0, 0], { maxCiWidth: 0.6 }).tooFew, false);
  assert.is(summarizeScores([0.5], { maxCiWidth: 10 }).tooFew, true);
  assert.equal(summarizeScores([]), { n: 0, value: null, low: null, high: null, method: 'wilson', tooFew: true });
});

test('ratio of sums: perplexity exp(Σnll/Σtokens) with a bootstrap interval around it', () => {
  const nll = [10, 20, 30];
  const tokens = [5, 10, 15];
  const s = summarizeRatio(nll, tokens, Math.exp, { maxCiWidth: 100 });
  assert.ok(Math.abs(s.value! - Math.exp(2)) < 1e-12);
  // Every instance has NLL/token = 2, so every resample has the same ratio.
  assert.ok(Math.abs(s.low! - Math.exp(2)) < 1e-12 && Math.abs(s.high! - Math.exp(2)) < 1e-12);
});

test.run();
