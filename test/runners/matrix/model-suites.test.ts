/** models[].suites: which suites run on which model, checked with one-line errors; the bundled default uses it. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { ranSuite } from '../../../core/pairing.js';
import { loadRunConfig, readConfigFile } from '../../../runners/matrix/config.js';
import { suitesOfModel } from '../../../runners/matrix/model-suites.js';
import { inputErrorOf, writeConfig } from './fixtures.js';

const test = suite('runners/matrix/model-suites');
const teacher = packagePath('datasets', 'models', 'teacher');
const stories = packagePath('datasets', 'models', 'stories260k');
const suiteDir = (id: string): string => packagePath('suites', id);

test('the bundled default: teacher and student on the corpus suites, stories260k on the TinyStories suites', () => {
  const c = loadRunConfig(undefined);
  const teacherSuites = ['fairness', 'fairness-pairs', 'fairness-people', 'knowledge-closed', 'knowledge-open', 'perplexity', 'rare-words', 'reasoning'].map(suiteDir);
  assert.equal(suitesOfModel(c, 'teacher'), teacherSuites);
  assert.equal(suitesOfModel(c, 'student'), teacherSuites);
  assert.equal(suitesOfModel(c, 'stories260k'), ['tinystories-perplexity', 'tinystories-cloze'].map(suiteDir));
  assert.equal(c.suites.length, 10);
});

test('a model without "suites" runs them all; with it, the named ones in the run\'s order', () => {
  const file = writeConfig({
    models: [{ id: 't', dir: teacher }, { id: 's', dir: stories, suites: ['tinystories-cloze', 'tinystories-perplexity', 'tinystories-cloze'] }],
    suites: ['perplexity', 'tinystories-perplexity', 'tinystories-cloze'],
  });
  const c = loadRunConfig(file);
  assert.equal(suitesOfModel(c, 't'), ['perplexity', 'tinystories-perplexity', 'tinystories-cloze'].map(suiteDir));
  assert.equal(suitesOfModel(c, 's'), ['tinystories-perplexity', 'tinystories-cloze'].map(suiteDir));
});

test('an unknown suite id is one line: file, line, JSON path, did-you-mean and the fix', () => {
  const text = JSON.stringify({ models: [{ id: 's', dir: stories, suites: ['tinystories-perplexity', 'tinystories-clze'] }], suites: ['tinystories-perplexity', 'tinystories-cloze'] }, null, 2);
  const file = writeConfig({}, text);
  const msg = inputErrorOf(() => loadRunConfig(file));
  assert.not.match(msg, '\n');
  assert.match(msg, `${file}:`);
  assert.match(msg, "$.models[0].suites[1]: Unknown suite 'tinystories-clze'. Did you mean: tinystories-cloze?");
});

test("a bundled suite the run's \"suites\" list lacks is refused too, naming the list", () => {
  const file = writeConfig({ models: [{ id: 's', dir: stories, suites: ['reasoning'] }], suites: ['tinystories-perplexity'] });
  const msg = inputErrorOf(() => loadRunConfig(file));
  assert.match(msg, "$.models[0].suites[0]: Unknown suite 'reasoning'.");
  assert.match(msg, 'Available: tinystories-perplexity');
  assert.match(msg, "add it there or remove it here");
});

test('the schema: a non-empty list of strings, with JSON-path messages', () => {
  const empty = inputErrorOf(() => readConfigFile(writeConfig({ models: [{ id: 's', dir: stories, suites: [] }] })));
  assert.match(empty, '$.models[0].suites');
  const notList = inputErrorOf(() => readConfigFile(writeConfig({ models: [{ id: 's', dir: stories, suites: 'tinystories-cloze' }] })));
  assert.match(notList, '$.models[0].suites');
});

test('a user config that sets only "suites": default models meant for other suites are left out, with their methods', () => {
  const c = loadRunConfig(writeConfig({ suites: ['reasoning'] }));
  assert.equal(c.models.map((m) => m.id), ['teacher', 'student', 'teacher-qat-w3', 'teacher-qat-w2']);
  assert.ok(c.methods.every((m) => !(m.models ?? []).includes('stories260k')));
  const onlyStories = loadRunConfig(writeConfig({ suites: ['tinystories-cloze'] }));
  assert.equal(onlyStories.models.map((m) => m.id), ['stories260k']);
  assert.is(onlyStories.baseline, 'stories260k');
});

test('ranSuite: a variant without "suites" ran every suite; with it, only those', () => {
  const record = { variants: [{ id: 'a' }, { id: 'b', suites: ['x'] }] } as unknown as Parameters<typeof ranSuite>[0];
  assert.ok(ranSuite(record, 'a', 'y'));
  assert.ok(ranSuite(record, 'b', 'x'));
  assert.not.ok(ranSuite(record, 'b', 'y'));
});

test.run();
