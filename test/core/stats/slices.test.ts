import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sliceBreakdown, summarizeWorstCase, worstCaseByGroup, type TaggedScore } from '../../../core/stats/slices.js';

const test = suite('core/stats/slices');

const items: TaggedScore[] = [
  { score: 1, tags: { dialect: 'scots' }, groupId: 'q1' },
  { score: 0, tags: { dialect: 'scots' }, groupId: 'q2' },
  { score: 1, tags: { dialect: 'standard' }, groupId: 'q1' },
  { score: 1, tags: { dialect: 'standard' }, groupId: 'q2' },
  { score: 1, tags: { dialect: 'standard' }, groupId: 'q3' },
  { score: 0, tags: { dialect: 'standard' }, groupId: 'q4' },
  { score: 1, groupId: 'q3' },
];

test('per-slice value, n and Wilson interval; worst slice and max gap', () => {
  const b = sliceBreakdown(items, 'dialect');
  assert.equal(b.slices.map((s) => [s.slice, s.n, s.value]), [['scots', 2, 0.5], ['standard', 4, 0.75]]);
  assert.is(b.worst?.slice, 'scots');
  assert.is(b.maxGap, 0.25);
  assert.is(b.untagged, 1);
  // Wilson 1/2: center 0.5, half = (z/(1+z²/2))·sqrt(1/8 + z²/16) = 0.405465…; [0.094531, 0.905469].
  assert.ok(Math.abs(b.slices[0].low! - 0.094531) < 1e-5, `${b.slices[0].low}`);
  assert.is(b.slices[0].tooFew, true);
});

test('lower-is-better metrics pick the highest slice as worst', () => {
  const b = sliceBreakdown(
    [{ score: 9, tags: { f: 'rare' } }, { score: 3, tags: { f: 'common' } }],
    'f',
    { higherIsBetter: false, maxCiWidth: 100 },
  );
  assert.is(b.worst?.slice, 'rare');
  assert.is(b.maxGap, 6);
});

test('worst case over counterfactual variants: an item counts only if all variants are right', () => {
  const groups = worstCaseByGroup(items);
  assert.equal(groups, [
    { groupId: 'q1', score: 1, variants: 2 },
    { groupId: 'q2', score: 0, variants: 2 },
    { groupId: 'q3', score: 1, variants: 2 },
    { groupId: 'q4', score: 0, variants: 1 },
  ]);
  const s = summarizeWorstCase(items);
  assert.is(s.n, 4);
  assert.is(s.value, 0.5);
  const solo = worstCaseByGroup([{ score: 1 }, { score: 0 }]);
  assert.is(solo.length, 2);
});

test.run();
