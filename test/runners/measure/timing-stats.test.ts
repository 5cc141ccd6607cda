import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { percentiles, timingStats } from '../../../runners/measure/timing-stats.js';

const test = suite('runners/measure/timing-stats');

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

test('type-7 percentiles of 1..10 (unsorted input)', () => {
  // source: numpy.percentile(range(1, 11), [50, 90, 95, 99]) = [5.5, 9.1, 9.55, 9.91]
  const s = timingStats([7, 3, 10, 1, 9, 2, 8, 6, 4, 5]);
  assert.is(s.samples, 10);
  close(s.meanMs, 5.5);
  close(s.p50Ms, 5.5);
  close(s.p90Ms, 9.1);
  close(s.p95Ms, 9.55);
  close(s.p99Ms, 9.91);
});

test('four samples: interpolation between order statistics', () => {
  // by hand: sorted [1, 2, 3, 40]; h = 3q; p50 h=1.5 → 2.5; p90 h=2.7 → 3 + 0.7·37 = 28.9;
  // p95 h=2.85 → 3 + 0.85·37 = 34.45; p99 h=2.97 → 3 + 0.97·37 = 38.89
  const p = percentiles([40, 1, 3, 2]);
  close(p.p50Ms, 2.5);
  close(p.p90Ms, 28.9);
  close(p.p95Ms, 34.45);
  close(p.p99Ms, 38.89);
  close(timingStats([40, 1, 3, 2]).meanMs, 11.5);
});

test('one sample: every percentile is that sample; none throws', () => {
  assert.equal(timingStats([2.5]), { samples: 1, meanMs: 2.5, p50Ms: 2.5, p90Ms: 2.5, p95Ms: 2.5, p99Ms: 2.5 });
  assert.throws(() => timingStats([]), /no samples/);
});

test.run();
