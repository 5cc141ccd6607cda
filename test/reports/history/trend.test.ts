import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyTrend, noiseBand, sparkline, type TrendPoint } from '../../../reports/history/trend.js';

const test = suite('reports/history/trend');

const series = (values: (number | null)[], ciHalfWidth: number | null = null): TrendPoint[] => values.map((value) => ({ value, ciHalfWidth }));
// Prior five: mean 0.704, sample sd = sqrt(520e-6 / 4) = 0.011402 (hand-computed); 3·sd = 0.034205
const PRIOR = [0.7, 0.72, 0.69, 0.71, 0.7];

test('noise band of a stable noisy series: mean ± 3·sd', () => {
  const band = noiseBand(PRIOR, null, {});
  assert.ok(Math.abs(band.mean - 0.704) < 1e-12);
  assert.ok(Math.abs(band.sd - 0.0114018) < 1e-6, String(band.sd));
  assert.ok(Math.abs(band.low - 0.669795) < 1e-5 && Math.abs(band.high - 0.738205) < 1e-5, `${band.low} ${band.high}`);
  assert.is(band.widthFrom, 'noise');
});

test('a wiggle inside the band is ok; a drop outside it is a REGRESSION', () => {
  for (const newest of [0.68, 0.73, 0.705]) assert.is(classifyTrend(series([...PRIOR, newest]), { k: 5, higherIsBetter: true }).status, 'ok', String(newest));
  const drop = classifyTrend(series([...PRIOR, 0.66]), { k: 5, higherIsBetter: true });
  assert.is(drop.status, 'regression');
  assert.is(classifyTrend(series([...PRIOR, 0.76]), { k: 5, higherIsBetter: true }).status, 'improvement');
});

test('lower is better: a rise is the regression', () => {
  const ppl = [20.0, 20.2, 19.9, 20.1, 20.0];
  assert.is(classifyTrend(series([...ppl, 21]), { k: 5, higherIsBetter: false }).status, 'regression');
  assert.is(classifyTrend(series([...ppl, 19]), { k: 5, higherIsBetter: false }).status, 'improvement');
  assert.is(classifyTrend(series([...ppl, 20.3]), { k: 5, higherIsBetter: false }).status, 'ok');
});

test('only the last K prior values count; missing values are skipped', () => {
  // An old outlier (0.1) falls outside the K=5 window and does not widen the band.
  const v = classifyTrend(series([0.1, ...PRIOR, 0.66]), { k: 5, higherIsBetter: true });
  assert.is(v.status, 'regression');
  const gaps = classifyTrend(series([0.7, null, 0.72, 0.69, null, 0.71, 0.7, 0.66]), { k: 5, higherIsBetter: true });
  assert.is(gaps.status, 'regression');
  if (gaps.status === 'regression') assert.is(gaps.band.prior, 5);
});

test('a perfectly stable history: the newest value CI and the floor set the band', () => {
  const flat = [0.5, 0.5, 0.5, 0.5, 0.5];
  const withCi = classifyTrend(series([...flat, 0.45], 0.1), { k: 5, higherIsBetter: true });
  assert.is(withCi.status, 'ok');
  if (withCi.status === 'ok') assert.is(withCi.band.widthFrom, 'ci');
  const noCi = classifyTrend(series([...flat, 0.45]), { k: 5, higherIsBetter: true });
  assert.is(noCi.status, 'regression');
  if (noCi.status === 'regression') {
    assert.is(noCi.band.widthFrom, 'floor');
    assert.ok(Math.abs(noCi.band.halfWidth - 0.005) < 1e-12, '1% of 0.5');
  }
  assert.is(classifyTrend(series([...flat, 0.496]), { k: 5, higherIsBetter: true }).status, 'ok', 'inside the 1% floor');
});

test('insufficient history and a missing newest value are not flags', () => {
  assert.equal(classifyTrend(series([0.7, 0.7, 0.7, 0.1]), { k: 5, higherIsBetter: true }), { status: 'insufficient-history', prior: 3, k: 5 });
  assert.equal(classifyTrend(series([...PRIOR, null]), { k: 5, higherIsBetter: true }), { status: 'missing' });
  assert.throws(() => classifyTrend(series(PRIOR), { k: 1, higherIsBetter: true }), /k must be an integer ≥ 2/);
});

test('sparkline scales to the series range', () => {
  assert.is(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
  assert.is(sparkline([1, null, 1]), '▄·▄');
  assert.is(sparkline([0, 10]), '▁█');
});

test.run();
