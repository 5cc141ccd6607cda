import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSpecText } from '../../suites/spec-check.js';

const test = suite('suites/spec-check (chance)');

const base = { id: 'demo', version: '1.0.0', dataset: 'data.jsonl', kind: 'multiple_choice', template: '{q}', choicesField: 'choices', answerField: 'answer', metrics: ['acc'], slices: ['group'] };

function check(extra: Record<string, unknown>): string[] {
  const r = checkSpecText(JSON.stringify({ ...base, ...extra }, null, 2), 'demo/suite.json');
  return r.state === 'ok' ? [] : r.problems;
}

test('a chance level on one of the metrics is accepted', () => {
  assert.equal(check({ chance: { metric: 'acc', value: 0.25, how: 'one of four choices at random' } }), []);
  assert.equal(check({ chance: { metric: 'acc', value: 0.25, bySlice: { tag: 'group', values: { a: 0.25 } }, how: 'one of four' } }), []);
});

test('a chance metric the suite does not compute, or a slice it does not have, is an error with its path and line', () => {
  const [p] = check({ chance: { metric: 'acc_norm', value: 0.25, how: 'x' } });
  assert.match(p, /^demo\/suite\.json:\d+: \$\.chance\.metric: Unknown chance metric 'acc_norm'/);
  assert.match(p, /use one of this suite's metrics: acc/);
  const [q] = check({ chance: { metric: 'acc', value: 0.25, bySlice: { tag: 'dialect', values: {} }, how: 'x' } });
  assert.match(q, /\$\.chance\.bySlice\.tag: 'dialect' is not one of the suite's slices/);
  assert.ok(check({ chance: { metric: 'acc', value: 'high', how: 'x' } }).some((m) => /chance\/value|chance\.value/.test(m)), 'schema checks the value type');
});

test.run();
