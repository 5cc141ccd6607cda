import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { flipStats, mcnemarExactP } from '../../../core/stats/mcnemar.js';

const test = suite('core/stats/mcnemar');

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('exact p-values by hand and against scipy.stats.binomtest', () => {
  // b=2, c=8: 2·(C(10,0)+C(10,1)+C(10,2))/2^10 = 2·56/1024 = 0.109375.
  assert.ok(close(mcnemarExactP(2, 8), 0.109375));
  // b=0, c=10: 2/1024.
  assert.ok(close(mcnemarExactP(0, 10), 0.001953125));
  assert.is(mcnemarExactP(5, 5), 1);
  assert.is(mcnemarExactP(0, 0), 1);
  assert.ok(close(mcnemarExactP(8, 2), mcnemarExactP(2, 8)));
  // scipy 1.17 binomtest(3, 20).pvalue = 0.0025768280029296875; binomtest(30, 100) = 7.85013964559367e-05.
  assert.ok(close(mcnemarExactP(3, 17), 0.0025768280029296875, 1e-10));
  assert.ok(close(mcnemarExactP(30, 70), 7.85013964559367e-5, 1e-9));
});

test('no underflow with thousands of discordant pairs', () => {
  const p = mcnemarExactP(1000, 1000);
  assert.is(p, 1);
  const q = mcnemarExactP(900, 1100);
  assert.ok(q > 0 && q < 1e-5, `p ${q}`);
});

test('flip counts, rates over n, and the p-value of the discordant counts', () => {
  const base = [1, 1, 1, 1, 0, 0, 0, 1, 1, 0];
  const vari = [1, 0, 0, 1, 0, 1, 0, 1, 0, 0];
  const f = flipStats(base, vari);
  assert.equal(
    { n: f.n, rr: f.bothRight, ww: f.bothWrong, rw: f.rightToWrong, wr: f.wrongToRight },
    { n: 10, rr: 3, ww: 3, rw: 3, wr: 1 },
  );
  assert.ok(close(f.rightToWrongRate, 0.3) && close(f.wrongToRightRate, 0.1) && close(f.flipRate, 0.4));
  // b=3, c=1: 2·(1+4)/16 = 0.625.
  assert.ok(close(f.mcnemarP, 0.625));
  assert.throws(() => flipStats([1], [1, 0]), /baseline has/);
});

test.run();
