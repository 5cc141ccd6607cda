import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyTrend, noiseBand, sparkline, type TrendPoint } from '../../../reports/history/trend.js';

const test = suite('reports/history/trend');

const measured = (values: (number | null)[], withinRunHalfWidth: number | null = null): TrendPoint[] => values.map((value) => ({ value, withinRunHalfWidth }));
const replay = (value: number): TrendPoint => ({ value, replayed: true });
// Prior five: mean 0.704, sample sd = sqrt(520e-6 / 4) = 0.011402 (hand-computed); 3·sd = 0.034205
const PRIOR = [0.7, 0.72, 0.69, 0.71, 0.7];

test('band over measured nights: mean ± 3·sd', () => {
  const band = noiseBand(PRIOR, null, 0, {});
  assert.ok(Math.abs(band.mean - 0.704) < 1e-12);
  assert.ok(band.sd !== null && Math.abs(band.sd - 0.0114018) < 1e-6, String(band.sd));
  assert.ok(Math.abs(band.low - 0.669795) < 1e-5 && Math.abs(band.high - 0.738205) < 1e-5, `${band.low} ${band.high}`);
  assert.is(band.widthFrom, 'nights');
});

test('a wiggle inside the band is ok; a move outside it is a REGRESSION in the worse direction', () => {
  for (const newest of [0.68, 0.73, 0.705]) assert.is(classifyTrend(measured([...PRIOR, newest]), { k: 5, higherIsBetter: true }).status, 'ok', String(newest));
  assert.is(classifyTrend(measured([...PRIOR, 0.66]), { k: 5, higherIsBetter: true }).status, 'regression');
  assert.is(classifyTrend(measured([...PRIOR, 0.76]), { k: 5, higherIsBetter: true }).status, 'improvement');
  const ms = [20.0, 20.2, 19.9, 20.1, 20.0];
  assert.is(classifyTrend(measured([...ms, 21]), { k: 5, higherIsBetter: false }).status, 'regression');
  assert.is(classifyTrend(measured([...ms, 19]), { k: 5, higherIsBetter: false }).status, 'improvement');
});

test('replayed figures never narrow a band: one measurement replayed four times is one measured night', () => {
  // The false alarm of the old rule: sd over the replays is 0, the band collapses to the 1% floor,
  // and an honest re-measurement 5% slower is called a regression.
  const nights = [{ value: 4.0 }, replay(4.0), replay(4.0), replay(4.0), replay(4.0), { value: 4.2 }];
  const v = classifyTrend(nights, { k: 5, higherIsBetter: false });
  assert.equal(v, { status: 'insufficient-history', measured: 1, needed: 3, replayedSkipped: 4 });
  // With within-run repeats (decode steps) the band is theirs, and 4.2 is inside it.
  const withRepeats = classifyTrend(
    nights.map((p) => ({ ...p, withinRunHalfWidth: 0.6 })),
    { k: 5, higherIsBetter: false },
  );
  assert.is(withRepeats.status, 'ok');
  if (withRepeats.status === 'ok') {
    assert.equal([withRepeats.band.widthFrom, withRepeats.band.measured, withRepeats.band.replayedSkipped, withRepeats.band.halfWidth], ['within-run', 1, 4, 0.6]);
  }
  // A real slowdown well beyond the repeats' spread is still flagged.
  const slow = classifyTrend([...nights.slice(0, -1), { value: 6.0 }].map((p) => ({ ...p, withinRunHalfWidth: 0.6 })), { k: 5, higherIsBetter: false });
  assert.is(slow.status, 'regression');
});

test('two measured nights that disagree widen the band: their spread is real noise', () => {
  // p99 of 4.488 and 1.059 ms on two honest nights: mean 2.7735, sd 2.4247 (hand-computed); a third at 4.4 is no alarm.
  const v = classifyTrend([{ value: 4.488, withinRunHalfWidth: 0.2 }, { value: 1.059, withinRunHalfWidth: 0.33 }, { value: 4.4, withinRunHalfWidth: 0.25 }], { k: 5, higherIsBetter: false });
  assert.is(v.status, 'ok');
  if (v.status === 'ok') {
    assert.is(v.band.widthFrom, 'nights');
    assert.ok(Math.abs(v.band.halfWidth - 3 * 2.42466) < 1e-4, String(v.band.halfWidth));
  }
});

test('a replayed newest figure is compared, and marked', () => {
  const v = classifyTrend([...measured(PRIOR), replay(0.7)], { k: 5, higherIsBetter: true });
  assert.is(v.status, 'ok');
  if (v.status === 'ok') assert.is(v.replayed, true);
});

test('only the last K measured values count; missing values are skipped; the floor still holds', () => {
  const v = classifyTrend(measured([0.1, ...PRIOR, 0.66]), { k: 5, higherIsBetter: true });
  assert.is(v.status, 'regression');
  const gaps = classifyTrend(measured([0.7, null, 0.72, 0.69, null, 0.71, 0.7, 0.66]), { k: 5, higherIsBetter: true });
  assert.is(gaps.status, 'regression');
  if (gaps.status === 'regression') assert.is(gaps.band.measured, 5);
  const flat = classifyTrend(measured([0.5, 0.5, 0.5, 0.496]), { k: 5, higherIsBetter: true });
  assert.is(flat.status, 'ok', 'inside the 1% floor');
  if (flat.status === 'ok') assert.is(flat.band.widthFrom, 'floor');
});

test('a missing newest value; k is checked', () => {
  assert.equal(classifyTrend(measured([...PRIOR, null]), { k: 5, higherIsBetter: true }), { status: 'missing' });
  assert.throws(() => classifyTrend(measured(PRIOR), { k: 1, higherIsBetter: true }), /k must be an integer ≥ 2/);
});

test('sparkline scales to the series range', () => {
  assert.is(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
  assert.is(sparkline([1, null, 1]), '▄·▄');
  assert.is(sparkline([0, 10]), '▁█');
});

test.run();
