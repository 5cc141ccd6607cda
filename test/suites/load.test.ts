import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import { buildRequests, loadSuite, validateSuite } from '../../suites/load.js';
import { removeDir, tempDir, writeUserSuite } from './fixtures.js';

const test = suite('suites/load');

const MC = {
  id: 'mc', version: '1', dataset: 'data.jsonl', kind: 'multiple_choice',
  template: 'Q: {question}\nA:', choicesField: 'choices', answerField: 'answer', metrics: ['acc'],
};
const row = (id: string, extra: object = {}): object => ({ id, question: `q ${id}`, choices: ['yes', 'no'], answer: 0, ...extra });

let dir = '';
test.before(() => {
  dir = tempDir();
});
test.after(() => removeDir(dir));

test('a valid suite loads from a folder or its suite.json, with hashes and ids', () => {
  const at = writeUserSuite(`${dir}/ok`, MC, { 'data.jsonl': [row('a'), row('b', { tags: { dialect: 'scots', n: 3 } })] });
  const s = loadSuite(at);
  assert.equal(s.instances.map((i) => [i.id, i.line]), [['a', 1], ['b', 2]]);
  assert.equal(s.instances[1].tags, { dialect: 'scots', n: '3' });
  assert.match(s.hash, /^[0-9a-f]{64}$/);
  assert.is(loadSuite(`${at}/suite.json`).hash, s.hash);
  assert.is(buildRequests(s).length, 2);
});

test('malformed JSONL line: file and line number', () => {
  const at = writeUserSuite(`${dir}/badline`, MC, { 'data.jsonl': `${JSON.stringify(row('a'))}\n{"id": "b",\n` });
  assert.throws(() => loadSuite(at), (e: Error) => e instanceof InputError && /data\.jsonl:2: malformed JSON/.test(e.message));
});

test('unknown request kind and metric: did you mean, available list, suite.json line', () => {
  const at = writeUserSuite(`${dir}/typos`, { ...MC, kind: 'multiple_choise', metrics: ['acc', 'acc_nrom'] }, { 'data.jsonl': [row('a')] });
  const v = validateSuite(at);
  assert.is(v.problems.length, 2);
  assert.match(v.problems[0], /suite\.json:5: \$\.kind: Unknown request kind 'multiple_choise' — Did you mean: multiple_choice\? Available: multiple_choice, generate, rolling, pair/);
  assert.match(v.problems[1], /suite\.json:\d+: \$\.metrics\[1\]: Unknown metric 'acc_nrom' — Did you mean: acc_norm\? Available: acc, acc_norm, exact_match/);
});

test('schema errors name the path and the fix; kind-specific requirements', () => {
  const at = writeUserSuite(`${dir}/schema`, { id: 'Bad Id', version: '1', dataset: 'd.jsonl', kind: 'generate', metrics: [], colour: 1 }, { 'd.jsonl': [] });
  const v = validateSuite(at);
  const text = v.problems.join('\n');
  assert.match(text, /\$\.id: must match pattern/);
  assert.match(text, /\$\.metrics: must NOT have fewer than 1 items/);
  assert.match(text, /\$\.colour: unknown field 'colour' — remove it; known fields:/);
  assert.match(text, /\$: missing required field 'answerField' — add "answerField" \(instance field with the gold answer/);
  assert.match(text, /missing required field 'generation'/);
});

test('a metric of another kind, a template naming a missing field, duplicate ids, bad answers', () => {
  const spec = { ...MC, metrics: ['acc', 'exact_match'], template: 'Q: {question} {context}' };
  const at = writeUserSuite(`${dir}/sem`, spec, { 'data.jsonl': [] });
  assert.match(validateSuite(at).problems[0], /\$\.metrics\[1\]: metric 'exact_match' reads generate results, not multiple_choice — use one of: acc, acc_norm/);
  const at2 = writeUserSuite(`${dir}/inst`, { ...MC, template: 'Q: {question} {context}' }, {
    'data.jsonl': [
      { ...row('a'), context: 'c' },
      { ...row('a'), context: 'c' },
      row('b'),
      { ...row('c'), context: 'c', answer: 5 },
      [1, 2],
    ],
  });
  const p = validateSuite(at2).problems;
  assert.is(p.length, 4);
  assert.match(p[0], /data\.jsonl:2: \$\.id: duplicate instance id 'a' \(first on line 1\) — make instance ids unique/);
  assert.match(p[1], /data\.jsonl:3: \$\.context: the template names \{context\} but this instance has no "context"/);
  assert.match(p[2], /data\.jsonl:4: \$\.answer: answer 5 is neither a choice index 0\.\.1 nor the text of exactly one choice/);
  assert.match(p[3], /data\.jsonl:5: \$: expected a JSON object/);
});

test('empty suite, missing dataset, slice tags nobody carries', () => {
  const empty = writeUserSuite(`${dir}/empty`, MC, { 'data.jsonl': '\n\n' });
  assert.match(validateSuite(empty).problems[0], /holds no instances/);
  const missing = writeUserSuite(`${dir}/missing`, { ...MC, dataset: 'nope.jsonl' }, {});
  assert.match(validateSuite(missing).problems[0], /\$\.dataset: dataset file .*nope\.jsonl not found/);
  const slices = writeUserSuite(`${dir}/slices`, { ...MC, slices: ['dialect'] }, { 'data.jsonl': [row('a')] });
  assert.match(validateSuite(slices).problems[0], /no instance carries the tag 'dialect'/);
  assert.match(validateSuite(`${dir}/nothing-here`).problems[0], /no suite\.json here/);
});

test('validateSuite collects all problems; loadSuite throws the first with a count', () => {
  const at = writeUserSuite(`${dir}/many`, MC, { 'data.jsonl': `${JSON.stringify(row('a'))}\nnot json\n${JSON.stringify(row('a'))}\n` });
  assert.is(validateSuite(at).problems.length, 2);
  try {
    loadSuite(at);
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /data\.jsonl:2: malformed JSON .* \(\+1 more: run `compbench suites validate/);
    assert.not.match((e as Error).message, /\n/);
  }
});

test('a suite.json error does not hide the data errors; at most 50 problems per file, then a count', () => {
  const lines = [JSON.stringify(row('a')), ...Array.from({ length: 60 }, (_, i) => `{"id": "x${i}",`), JSON.stringify(row('a'))];
  const at = writeUserSuite(`${dir}/all-at-once`, { ...MC, colour: 'red', metrics: ['acc', 'exact_match'] }, { 'data.jsonl': lines.join('\n') + '\n' });
  const v = validateSuite(at);
  assert.is(v.problemCount, 2 + 61);
  assert.match(v.problems[0], /suite\.json:\d+: \$\.colour: unknown field 'colour'/);
  assert.match(v.problems[1], /suite\.json:\d+: \$\.metrics\[1\]: metric 'exact_match' reads generate results/);
  assert.match(v.problems[2], /data\.jsonl:2: malformed JSON/);
  assert.is(v.problems.length, 2 + 50 + 1);
  assert.match(v.problems[v.problems.length - 1], /data\.jsonl: … and 11 more problems in this file \(61 in all\) — fix these and validate again$/);
  assert.throws(() => loadSuite(at), (e: Error) => /\(\+62 more: run `compbench suites validate/.test(e.message));
});

test('roles: a twin only for an open-book suite, which needs one; roleSlice among the slices; fairness needs slices', () => {
  let n = 0;
  const problems = (spec: object): readonly string[] => validateSuite(writeUserSuite(`${dir}/role-${n++}`, { ...MC, ...spec }, { 'data.jsonl': [row('a', { tags: { g: 'x' } })] })).problems;
  assert.equal(problems({ role: 'reasoning' }), []);
  assert.match(problems({ role: 'knowledge-open' }).join('\n'), /\$: missing required field 'closedBookTwin' — add "closedBookTwin" \(role knowledge-open: the id of the closed-book suite/);
  assert.equal(problems({ role: 'knowledge-open', closedBookTwin: 'qa-closed' }), []);
  assert.match(problems({ role: 'other', closedBookTwin: 'qa-closed' })[0], /\$\.closedBookTwin: only an open-book suite \(role 'knowledge-open'\) has a closed-book twin/);
  assert.match(problems({ role: 'knowledge-open', closedBookTwin: 'mc' })[0], /cannot be its own closed-book twin/);
  assert.match(problems({ role: 'knowlege-closed' })[0], /\$\.role: Unknown role 'knowlege-closed' — Did you mean: knowledge-closed, knowledge-open\?/);
  assert.match(problems({ slices: ['g'], roleSlice: 'dialect' })[0], /\$\.roleSlice: 'dialect' is not one of the suite's slices — add it to "slices" or use one of: g/);
  assert.match(problems({ role: 'fairness' })[0], /\$\.role: a 'fairness' suite compares slices but lists none/);
  assert.equal(problems({ role: 'fairness', slices: ['g'] }), []);
});

test('malformed suite.json names the line', () => {
  const at = `${dir}/syntax`;
  writeUserSuite(at, MC, { 'data.jsonl': [row('a')] });
  writeFileSync(`${at}/suite.json`, '{\n  "id": "x",\n  "version": "1",\n}\n');
  assert.match(validateSuite(at).problems[0], /suite\.json:4: malformed JSON/);
});

test('few-shot: k examples from the split, never the instance itself, seeded', () => {
  const spec = { ...MC, fewShot: { k: 2, split: 'train.jsonl', seed: 7 } };
  const at = writeUserSuite(`${dir}/fs`, spec, {
    'data.jsonl': [row('a'), row('b')],
    'train.jsonl': [row('a'), row('t1'), row('t2')],
  });
  const s = loadSuite(at);
  assert.equal(s.shots.get('a')!.map((i) => i.id).sort(), ['t1', 't2']);
  const reqs = buildRequests(s);
  // Each demo is "Q: …\nA:" + " " + the gold choice; demos and prompt are joined by a blank line.
  const context = reqs[0].requests[0].type === 'loglikelihood' ? reqs[0].requests[0].request.context : '';
  assert.is(context.split('\n\n').length, 3);
  assert.ok(context.endsWith('Q: q a\nA:'));
  assert.not.ok(context.slice(0, -'Q: q a\nA:'.length).includes('q a'));
  assert.match(context, /Q: q t[12]\nA: yes\n\nQ: q t[12]\nA: yes\n\nQ: q a\nA:/);
  assert.equal(buildRequests(loadSuite(at)), reqs);
  const small = writeUserSuite(`${dir}/fs-small`, { ...spec, fewShot: { k: 3, split: 'train.jsonl' } }, {
    'data.jsonl': [row('a')],
    'train.jsonl': [row('a'), row('t1'), row('t2')],
  });
  assert.match(validateSuite(small).problems[0], /fewShot\.k is 3 but only 2 usable examples remain for instance 'a'/);
});

test('rolling: a target word absent from the text is reported', () => {
  const at = writeUserSuite(`${dir}/roll`, { id: 'r', version: '1', dataset: 'd.jsonl', kind: 'rolling', targetsField: 't', metrics: ['word_nll'] }, {
    'd.jsonl': [{ id: 'x', text: 'the catalogue', t: 'cat' }],
  });
  assert.match(validateSuite(at).problems[0], /target word 'cat' does not occur as a whole word/);
});

test('rolling: targetOccurrence "last" scores the word where the text ends; it needs a targetsField', () => {
  const spec = { id: 'c', version: '1', dataset: 'd.jsonl', kind: 'rolling', targetsField: 't', targetOccurrence: 'last', metrics: ['word_acc'] };
  const at = writeUserSuite(`${dir}/cloze`, spec, { 'd.jsonl': [{ id: 'x', text: 'Tom had a kite. The wind took it, but he held his kite.', t: 'kite' }] });
  assert.equal(validateSuite(at).problems, []);
  assert.equal(buildRequests(loadSuite(at))[0].requests[1], { type: 'loglikelihood', request: { context: 'Tom had a kite. The wind took it, but he held his', continuation: ' kite' } });
  const first = writeUserSuite(`${dir}/cloze-first`, { ...spec, targetOccurrence: 'first' }, { 'd.jsonl': [{ id: 'x', text: 'Tom had a kite. He held his kite.', t: 'kite' }] });
  assert.equal(buildRequests(loadSuite(first))[0].requests[1], { type: 'loglikelihood', request: { context: 'Tom had a', continuation: ' kite' } });
  const { targetsField: _t, ...noTargets } = spec;
  const bad = writeUserSuite(`${dir}/cloze-bad`, { ...noTargets, metrics: ['perplexity'] }, { 'd.jsonl': [{ id: 'x', text: 'a kite' }] });
  assert.match(validateSuite(bad).problems[0], /\$\.targetOccurrence: "targetOccurrence" says where target words are scored, but the suite names no "targetsField"/);
  const wrong = writeUserSuite(`${dir}/cloze-enum`, { ...spec, targetOccurrence: 'final' }, { 'd.jsonl': [{ id: 'x', text: 'a kite', t: 'kite' }] });
  assert.match(validateSuite(wrong).problems[0], /\$\.targetOccurrence/);
});

test.run();
