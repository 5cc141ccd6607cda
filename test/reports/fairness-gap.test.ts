import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { InstanceLine } from '../../reports/load-run.js';
import { cellOf, metricOf } from '../../reports/record-view.js';
import { linesByVariant, sliceGapInterval } from '../../reports/sections/fairness-gap.js';
import { buildFixtureRun } from './fixtures.js';

const test = suite('reports/sections/fairness-gap');

test('the gap between best and worst slice equals the record\'s maxGap; its CI holds it and ignores instance order', () => {
  const { record, instances } = buildFixtureRun();
  const lines = instances as InstanceLine[];
  for (const variantId of ['teacher', 'teacher/rtn-w3-g128']) {
    for (const [suiteId, metric, tag] of [['fairness', 'contains', 'dialect'], ['fairness-people', 'acc', 'group']]) {
      const view = metricOf(cellOf(record, variantId, suiteId), metric)!;
      const breakdown = view.slices.find((s) => s.tag === tag)!;
      const cell = linesByVariant(lines, suiteId).get(variantId)!;
      const gap = sliceGapInterval(cell, metric, breakdown, view.higherIsBetter)!;
      assert.ok(gap, `${variantId} × ${suiteId}`);
      assert.ok(Math.abs(gap.gap - breakdown.maxGap!) < 1e-12);
      assert.is(gap.worst, breakdown.worst!.slice);
      assert.ok(gap.low <= gap.gap && gap.gap <= gap.high, `${gap.low} ≤ ${gap.gap} ≤ ${gap.high}`);
      assert.equal(sliceGapInterval([...cell].reverse(), metric, breakdown, view.higherIsBetter), gap, 'same interval whatever the file order');
    }
  }
});

test('no interval without instances or when the instance means do not give the record\'s values', () => {
  const { record, instances } = buildFixtureRun();
  const view = metricOf(cellOf(record, 'teacher', 'fairness'), 'contains')!;
  const breakdown = view.slices.find((s) => s.tag === 'dialect')!;
  assert.is(sliceGapInterval([], 'contains', breakdown, true), null);
  const skewed = { ...breakdown, maxGap: breakdown.maxGap! + 0.1 };
  const cell = linesByVariant(instances as InstanceLine[], 'fairness').get('teacher')!;
  assert.ok(sliceGapInterval(cell, 'contains', breakdown, true));
  assert.is(sliceGapInterval(cell, 'contains', skewed, true), null);
});

test.run();
