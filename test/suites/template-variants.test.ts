import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { buildRequests, loadSuite, validateSuite } from '../../suites/load.js';
import { PRIMARY_TEMPLATE_ID, suiteUnderTemplate, templateIds } from '../../suites/template-variants.js';
import { scoreInstances } from '../../suites/score.js';
import { assertOneLineError, cli } from '../cli-helpers.js';
import { writeConfig } from '../runners/matrix/fixtures.js';
import { removeDir, tempDir, writeUserSuite } from './fixtures.js';

const test = suite('suites/template-variants');

const GEN = {
  id: 'qa', version: '1', dataset: 'data.jsonl', kind: 'generate', template: 'Please answer: {question}\nThe answer is ',
  answerField: 'answer', generation: { maxNewTokens: 4 }, metrics: ['contains'],
};
const ROWS = [{ id: 'a', question: 'one?', answer: ['1'] }, { id: 'b', question: 'two?', answer: ['2'] }];

let dir = '';
test.before(() => {
  dir = tempDir();
});
test.after(() => removeDir(dir));

test('variants load with the same instances; each template id renders its own prompt and has its own hash', () => {
  const at = writeUserSuite(`${dir}/ok`, { ...GEN, templateVariants: [{ id: 'bare', template: '{question}\nThe answer is ' }, { id: 'qa-frame', template: 'Q: {question}\nA: ' }] }, { 'data.jsonl': ROWS });
  const s = loadSuite(at);
  assert.equal(templateIds(s), [PRIMARY_TEMPLATE_ID, 'bare', 'qa-frame']);
  assert.is(suiteUnderTemplate(s, PRIMARY_TEMPLATE_ID), s);
  const bare = suiteUnderTemplate(s, 'bare');
  assert.is(bare.templateId, 'bare');
  assert.is(bare.instances, s.instances);
  const prompts = (x: typeof s): string[] => buildRequests(x).map((r) => (r.requests[0].type === 'generate' ? r.requests[0].request.prompt : ''));
  assert.equal(prompts(s), ['Please answer: one?\nThe answer is ', 'Please answer: two?\nThe answer is ']);
  assert.equal(prompts(bare), ['one?\nThe answer is ', 'two?\nThe answer is ']);
  const hashes = new Set(templateIds(s).map((id) => suiteUnderTemplate(s, id).hash));
  assert.is(hashes.size, 3, 'a hash per template');
  // Records scored under a variant carry its id; the primary template's carry none.
  const responses = s.instances.map(() => [{ type: 'generate' as const, response: { text: '1', promptIds: [1], generatedIds: [5], finishReason: 'stop' as const } }]);
  assert.equal(scoreInstances(bare, responses).map((r) => r.template), ['bare', 'bare']);
  assert.equal(scoreInstances(s, responses).map((r) => r.template), [undefined, undefined]);
  assert.throws(() => suiteUnderTemplate(s, 'nope'), (e: Error) => e instanceof InputError && /no template 'nope' — use one of: primary, bare, qa-frame/.test(e.message));
});

test('unknown or dropped placeholders, duplicate ids, the reserved id and a kind without template: every problem with its JSON path', () => {
  const at = writeUserSuite(`${dir}/bad`, {
    ...GEN,
    templateVariants: [
      { id: 'typo', template: 'Q: {questoin}\nA: ' },
      { id: 'typo', template: 'Tell me.' },
      { id: 'primary', template: '{question}' },
      { id: 'Bad Id', template: '{question' },
    ],
  }, { 'data.jsonl': ROWS });
  const v = validateSuite(at);
  const file = join(at, 'suite.json');
  const has = (re: RegExp): void => assert.ok(v.problems.some((p) => re.test(p)), `${re} in\n${v.problems.join('\n')}`);
  has(new RegExp(`^${file}:\\d+: \\$\\.templateVariants\\[0\\]\\.template: unknown placeholder \\{questoin\\}: the primary template reads \\{question\\}`));
  has(/\$\.templateVariants\[1\]\.id: template id 'typo' is used twice/);
  has(/\$\.templateVariants\[1\]\.template: placeholder \{question\} of the primary template is missing/);
  has(/\$\.templateVariants\[2\]\.id/);
  has(/\$\.templateVariants\[3\]\.id/);
  has(/\$\.templateVariants\[3\]\.template: bad placeholder/);
  const rolling = writeUserSuite(`${dir}/rolling`, { id: 'r', version: '1', dataset: 'data.jsonl', kind: 'pair', pairFields: { more: 'a', less: 'b' }, metrics: ['pair_preference'], templateVariants: [{ id: 'x', template: '{a}' }] }, { 'data.jsonl': [{ id: 'p', a: 'x', b: 'y' }] });
  assert.ok(validateSuite(rolling).problems.some((p) => /\$\.templateVariants: kind 'pair' does not use a template/.test(p)), validateSuite(rolling).problems.join('\n'));
});

test('compbench run with an unknown placeholder: one line naming the file and JSON path, exit 2, nothing started', () => {
  const at = writeUserSuite(`${dir}/cli`, { ...GEN, templateVariants: [{ id: 'typo', template: 'Q: {questoin}\nA: ' }] }, { 'data.jsonl': ROWS });
  const config = writeConfig({ models: [{ id: 'teacher', dir: packagePath('datasets', 'models', 'teacher') }], methods: [], suites: [at], measurement: { enabled: false }, cacheDir: join(dir, 'cache') });
  const r = cli('run', '--config', config, '--out', join(dir, 'cli-out'), '--quiet');
  assertOneLineError(r, /suite\.json:\d+: \$\.templateVariants\[0\]\.template: unknown placeholder \{questoin\}/);
});

test.run();
