/** The TinyStories suites of stories260K: built from datasets/tinystories/, committed up to date, valid, disjoint from the calibration text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { storySuiteFiles } from '../../../datasets/build-suites.js';
import { clozeItem, sampleStories, STORY_SUITE_IDS, storyParagraphs } from '../../../datasets/suites/tinystories.js';
import { buildRequests, loadSuite, validateSuite } from '../../../suites/load.js';
import { committedRows } from './fixtures.js';

const test = suite('datasets/suites/tinystories');
const read = (name: string): string => readFileSync(packagePath('datasets', 'tinystories', name), 'utf8');

test('the committed suites are exactly what the builder makes from datasets/tinystories/', () => {
  const files = storySuiteFiles();
  assert.equal([...files.keys()].sort(), STORY_SUITE_IDS.flatMap((id) => [`${id}/suite.json`, `${id}/data.jsonl`]).sort());
  for (const [rel, text] of files) assert.is(readFileSync(packagePath('suites', rel), 'utf8'), text, rel);
});

test('both suites load and validate, with the sizes the brief asks for', () => {
  for (const id of STORY_SUITE_IDS) assert.equal(validateSuite(packagePath('suites', id)).problems, [], id);
  const ppl = loadSuite(packagePath('suites', 'tinystories-perplexity'));
  const cloze = loadSuite(packagePath('suites', 'tinystories-cloze'));
  assert.ok(ppl.instances.length >= 60, `perplexity n=${ppl.instances.length}`);
  assert.ok(cloze.instances.length >= 150, `cloze n=${cloze.instances.length}`);
  assert.is(ppl.spec.role, 'perplexity');
  assert.equal(cloze.spec.metrics, ['word_acc', 'word_nll']);
});

test('a cloze request scores the last word given everything before it, and the word is named earlier', () => {
  const cloze = loadSuite(packagePath('suites', 'tinystories-cloze'));
  const rows = committedRows('tinystories-cloze');
  buildRequests(cloze).forEach((inst, i) => {
    const { text, target } = rows[i] as unknown as { text: string; target: string };
    const word = inst.requests[1];
    assert.ok(word.type === 'loglikelihood', inst.instanceId);
    if (word.type !== 'loglikelihood') return;
    assert.is(word.request.continuation, ` ${target}`, inst.instanceId);
    assert.ok(text.startsWith(word.request.context + word.request.continuation), inst.instanceId);
    assert.match(text.slice(word.request.context.length + word.request.continuation.length), /^[^\p{L}\p{N}]*$/u, `${inst.instanceId}: only punctuation after the target`);
    assert.ok(new RegExp(`(?<![\\p{L}\\p{N}])${target}(?![\\p{L}\\p{N}])`, 'u').test(word.request.context), `${inst.instanceId}: '${target}' named in the context`);
  });
});

test('the cloze rule: the last word, a referent named earlier', () => {
  assert.equal(clozeItem('Sam had a cat. He fed the cat.'), { text: 'Sam had a cat. He fed the cat.', target: 'cat' });
  assert.equal(clozeItem('Tom called, "Come here, Max!" Max ran to Tom.'), { text: 'Tom called, "Come here, Max!" Max ran to Tom.', target: 'Tom' });
  assert.match(clozeItem('Sam had a cat. He fed it again.') as string, /'again' is a function word/);
  assert.match(clozeItem('Sam had a cat. He fed the dog.') as string, /'dog' is not named earlier/);
  assert.match(clozeItem('Sam had a Cat. He fed the cat.') as string, /'cat' is not named earlier/);
});

test('evaluation stories, calibration stories and the sample share no story and no sentence of 8+ words', () => {
  const sets = {
    perplexity: storyParagraphs(read('perplexity-stories.txt')),
    cloze: storyParagraphs(read('cloze-stories.txt')),
    calibration: storyParagraphs(read('calibration-stories.txt')),
    sample: sampleStories(read('tinystories_sample.txt')),
  };
  assert.is(sets.sample.length, 5);
  const sentences = (stories: string[]): Set<string> =>
    new Set(stories.flatMap((s) => s.split(/(?<=[.!?])\s+/u)).filter((x) => x.split(/\s+/u).length >= 8));
  const calibration = sentences(sets.calibration);
  for (const [name, stories] of Object.entries(sets)) {
    if (name === 'calibration') continue;
    const shared = [...sentences(stories)].filter((x) => calibration.has(x));
    assert.equal(shared, [], `${name} vs calibration`);
  }
  const all = [...sets.perplexity, ...sets.cloze, ...sets.calibration, ...sets.sample];
  assert.is(new Set(all).size, all.length, 'no story twice');
});

test('the licences and authorship are stated', () => {
  const readme = read('README.md');
  assert.match(readme, /CC0 1\.0/);
  assert.match(readme, /written for compbench/);
  assert.match(read('LICENSE.cs336-assignment1-basics'), /^MIT License/);
  assert.ok(readFileSync(join(packagePath('suites', 'tinystories-perplexity'), 'data.jsonl'), 'utf8').includes('"source":"tinystories-sample"'));
});

test.run();
