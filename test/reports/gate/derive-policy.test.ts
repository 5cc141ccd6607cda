import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SuiteRecord } from '../../../core/run-record.js';
import { derivePolicy, roleMetric, sliceMargin } from '../../../reports/gate/derive-policy.js';
import { cell, flipped, ones, runRecord } from './fixtures.js';

const test = suite('reports/gate/derive-policy');

const suiteRec = (metrics: string[], role: SuiteRecord['role']): SuiteRecord => ({ id: 's', version: '1', kind: 'rolling', hash: 'h', n: 10, metrics, role });

test('per-slice margin: the unpaired interval at p = 0.5 plus 0.025, rounded up (0.12 at n=210, the bundled fairness dialects)', () => {
  assert.is(sliceMargin(210), 0.12);
  assert.is(sliceMargin(40), 0.24);
  assert.ok(sliceMargin(1000) < sliceMargin(200));
});

test('the role picks the gated metric: word_nll for rare words, perplexity for perplexity, else the primary metric', () => {
  assert.is(roleMetric(suiteRec(['perplexity', 'word_nll'], 'rare-words')), 'word_nll');
  assert.is(roleMetric(suiteRec(['bits_per_byte', 'perplexity'], 'perplexity')), 'perplexity');
  assert.is(roleMetric(suiteRec(['bits_per_byte'], 'perplexity')), 'bits_per_byte');
  assert.is(roleMetric(suiteRec(['perplexity', 'word_nll'], 'other')), 'perplexity');
});

test('a suite without a role gets non-inferiority on its primary metric; no latency rule without measurements', () => {
  const base = ones(80, 100);
  const record = runRecord('teacher', [
    cell('teacher', 'qa', [{ metric: 'acc', scores: base }]),
    cell('teacher/w4', 'qa', [{ metric: 'acc', scores: flipped(base, 1) }], [{ metric: 'acc', scores: base }]),
  ]);
  const policy = derivePolicy(record);
  assert.equal(policy.rules, [{ id: 'qa.noninferiority', kind: 'noninferiority', suite: 'qa', metric: 'acc', margin: 0.05 }]);
  assert.match(policy.description!, /qa \(other\).*no latency or memory rule/);
  const measured = derivePolicy({ ...record, measurements: [] });
  assert.is(measured.rules.length, 1, 'an empty measurement list measured nothing');
});

test.run();
