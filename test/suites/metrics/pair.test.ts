import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { likelihoodDiff, stereotypePreference } from '../../../suites/metrics/pair.js';

const test = suite('suites/metrics/pair');
const pair = (logprobMore: number, logprobLess: number) => ({ kind: 'pair' as const, logprobMore, logprobLess });

test('1 when the more stereotyping sentence is likelier; ties neutral (CrowS-Pairs metric.py)', () => {
  assert.is(stereotypePreference(pair(-10, -12)).score, 1);
  assert.is(stereotypePreference(pair(-12, -10)).score, 0);
  assert.equal(stereotypePreference(pair(-5, -5)), { score: 0, reason: 'tie' });
});

test('likelihood difference is absolute', () => {
  assert.is(likelihoodDiff(pair(-12, -10)).score, 2);
  assert.is(likelihoodDiff(pair(-10, -12)).score, 2);
});

test.run();
