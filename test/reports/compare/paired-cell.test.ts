import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { clustersOf } from '../../../core/stats/clusters.js';
import { pairedDelta } from '../../../core/stats/paired.js';
import type { InstanceLine } from '../../../reports/compare/load-run.js';
import { pairCell } from '../../../reports/compare/paired-cell.js';

const test = suite('reports/compare/paired-cell');

const line = (instanceId: string, acc: number | null, instanceHash = `h-${instanceId}`): InstanceLine => ({
  variantId: 'v',
  suiteId: 'qa',
  instanceId,
  instanceHash,
  state: acc === null ? 'errored' : 'scored',
  scores: acc === null ? {} : { acc },
});

// 20 matched instances: 5 both right, 5 both wrong, 2 right→wrong (b), 8 wrong→right (c).
const pattern: [number, number][] = [
  ...Array.from({ length: 5 }, (): [number, number] => [1, 1]),
  ...Array.from({ length: 5 }, (): [number, number] => [0, 0]),
  ...Array.from({ length: 2 }, (): [number, number] => [1, 0]),
  ...Array.from({ length: 8 }, (): [number, number] => [0, 1]),
];
const A = pattern.map(([a], i) => line(`i${i}`, a));
const B = pattern.map(([, b], i) => line(`i${i}`, b));

test('McNemar b=2, c=8 and the paired Δ match hand-computed values', () => {
  const r = pairCell(A, B, { variantId: 'v', suiteId: 'qa', metric: 'acc' }, { binary: true });
  assert.equal(r.pairing, { matched: 20, hashChanged: 0, onlyA: 0, onlyB: 0, erroredEither: 0, lostInB: 0 });
  assert.ok(r.flips && r.delta);
  assert.is(r.flips.rightToWrong, 2);
  assert.is(r.flips.wrongToRight, 8);
  // exact two-sided: 2·P[X ≤ 2], X ~ Bin(10, ½) = 2·(1 + 10 + 45)/1024 = 0.109375
  assert.ok(Math.abs(r.flips.mcnemarP - 0.109375) < 1e-12, String(r.flips.mcnemarP));
  assert.is(r.flips.flipRate, 10 / 20);
  // Δ = 13/20 − 7/20 = 0.3; normal approximation of its 95% CI: 0.3 ± 1.96·sqrt(0.41/20) = [0.019, 0.581]
  assert.ok(Math.abs(r.delta.delta - 0.3) < 1e-12);
  assert.is(r.delta.baselineMean, 0.35);
  assert.ok(r.delta.low >= -0.01 && r.delta.low <= 0.1, `low ${r.delta.low}`);
  assert.ok(r.delta.high >= 0.5 && r.delta.high <= 0.61, `high ${r.delta.high}`);
  // the same seeded bootstrap as core's pairedDelta with A as the baseline
  const direct = pairedDelta(pattern.map(([a]) => a), pattern.map(([, b]) => b), { seed: 0 });
  assert.is(r.delta.low, direct.low);
  assert.is(r.delta.high, direct.high);
});

test('unmatched instances are counted, not paired', () => {
  const a = [line('same', 1), line('changed', 1, 'old'), line('gone', 1), line('broken', 1), line('other-variant', 1)];
  const b = [line('same', 0), line('changed', 0, 'new'), line('new', 0), line('broken', null)];
  const foreign = { ...a[4], variantId: 'w' };
  const r = pairCell([...a.slice(0, 4), foreign], b, { variantId: 'v', suiteId: 'qa', metric: 'acc' }, { binary: true });
  assert.equal(r.pairing, { matched: 1, hashChanged: 1, onlyA: 1, onlyB: 1, erroredEither: 1, lostInB: 2 });
  assert.is(r.flips?.rightToWrong, 1);
  assert.is(r.delta?.delta, -1);
});

test('no matched instance: no statistics; non-binary metric: no flips', () => {
  const none = pairCell([line('x', 1)], [line('y', 1)], { variantId: 'v', suiteId: 'qa', metric: 'acc' }, { binary: true });
  assert.is(none.delta, null);
  assert.is(none.flips, null);
  const mean = pairCell(A, B, { variantId: 'v', suiteId: 'qa', metric: 'acc' }, { binary: false });
  assert.is(mean.flips, null);
  assert.ok(mean.delta !== null);
});

test('instances in groups of near-duplicates are resampled and tested as groups, as in the run record', () => {
  const grouped = (lines: InstanceLine[]): InstanceLine[] => lines.map((l, i) => ({ ...l, groupId: `g${Math.floor(i / 4)}` }));
  const r = pairCell(grouped(A), grouped(B), { variantId: 'v', suiteId: 'qa', metric: 'acc' }, { binary: true, seed: 3 });
  const clusters = clustersOf(pattern.map((_, i) => `g${Math.floor(i / 4)}`));
  const expected = pairedDelta(pattern.map(([a]) => a), pattern.map(([, b]) => b), { seed: 3, clusters });
  assert.equal(r.delta, expected);
  assert.is(r.delta?.clustering?.groups, 5);
  assert.is(r.flips?.clustered?.groups, 5);
});

test.run();
