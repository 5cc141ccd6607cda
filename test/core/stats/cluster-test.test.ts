import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../../core/rng.js';
import { clusteredFlipTest, signFlipExactP } from '../../../core/stats/cluster-test.js';
import { clustersOf } from '../../../core/stats/clusters.js';
import { flipStats, mcnemarExactP } from '../../../core/stats/mcnemar.js';

const test = suite('core/stats/cluster-test');

test('with groups of one the sign-flip test is McNemar\'s exact test', () => {
  for (const [b, c] of [[0, 0], [3, 0], [7, 2], [10, 10], [25, 12], [1, 40]]) {
    const diffs = [...new Array(b).fill(1), ...new Array(c).fill(-1), 0, 0];
    assert.ok(Math.abs(signFlipExactP(diffs) - mcnemarExactP(b, c)) < 1e-12, `b=${b} c=${c}`);
  }
});

test('small case by hand: d = (2, 1), S ∈ {±3, ±1} each with ¼', () => {
  assert.ok(Math.abs(signFlipExactP([2, 1]) - 0.5) < 1e-15);
  assert.ok(Math.abs(signFlipExactP([2, -1]) - 1) < 1e-15);
  assert.throws(() => signFlipExactP([0.5]), /integers/);
});

test('by brute force over every sign pattern', () => {
  const rng = createRng(3);
  for (let trial = 0; trial < 20; trial++) {
    const d = Array.from({ length: 10 }, () => rng.int(9) - 4);
    const observed = Math.abs(d.reduce((a, x) => a + x, 0));
    let hits = 0;
    for (let mask = 0; mask < 1 << d.length; mask++) {
      const s = d.reduce((a, x, i) => a + (mask & (1 << i) ? -x : x), 0);
      if (Math.abs(s) >= observed) hits++;
    }
    assert.ok(Math.abs(signFlipExactP(d) - hits / 2 ** d.length) < 1e-12, d.join(','));
  }
});

test('12 variants of one item flipping together are one piece of evidence, not 12', () => {
  // 3 items lose all 12 variants, 0 gain: per instance b = 36, c = 0; per item 3 of 3.
  const ids = Array.from({ length: 240 }, (_, i) => `f${Math.floor(i / 12)}`);
  const base = ids.map(() => 1);
  const vari = ids.map((_, i) => (i < 36 ? 0 : 1));
  const flips = flipStats(base, vari, clustersOf(ids));
  assert.ok(flips.mcnemarP < 1e-9);
  assert.is(flips.clustered!.groups, 20);
  assert.is(flips.clustered!.discordantGroups, 3);
  assert.ok(Math.abs(flips.clustered!.p - 0.25) < 1e-12, `p ${flips.clustered!.p}`);
  assert.is(flipStats(base, vari).clustered, undefined);
});

test('clusteredFlipTest checks lengths', () => {
  assert.throws(() => clusteredFlipTest([1, 0], [1, 0], clustersOf(['a'])), /clustered instances/);
});

test.run();
