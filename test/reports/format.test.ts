import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDelta, formatFlipP, formatSummary } from '../../reports/format.js';

const test = suite('reports/format');

test('groups and the effective n are printed beside n; without groups nothing changes', () => {
  const clustering = { groups: 20, designEffect: 5.6, nEffective: 42.86, interval: 'design-effect' as const };
  assert.is(formatSummary({ n: 240, value: 0.9, low: 0.8, high: 0.95, clustering }, ''), '90.0% [80.0, 95.0], n=240 (20 groups, effective n 43)');
  assert.is(formatSummary({ n: 240, value: 0.9, low: 0.8, high: 0.95 }, ''), '90.0% [80.0, 95.0], n=240');
  const delta = { n: 240, baselineMean: 0.9, variantMean: 0.87, delta: -0.03, low: -0.063, high: 0, clustering: { ...clustering, interval: 'group-bootstrap' as const } };
  assert.is(formatDelta(delta, ''), '−3.0 pp [−6.3, 0.0], n=240 (20 groups, effective n 43)');
});

test('McNemar per instance, and over groups when the suite has them', () => {
  const flips = { n: 240, rightToWrong: 9, wrongToRight: 2, flipRate: 11 / 240, mcnemarP: 0.0654 };
  assert.is(formatFlipP(flips), 'McNemar p=0.0654');
  assert.is(formatFlipP({ ...flips, clustered: { groups: 20, discordantGroups: 4, p: 0.25 } }), 'McNemar p=0.0654 per instance, p=0.250 over 20 groups (sign-flip)');
});

test.run();
