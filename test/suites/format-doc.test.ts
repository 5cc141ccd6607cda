import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { SUITE_ROLES } from '../../core/suite-roles.js';
import { writeStarterSuite } from '../../suites/init.js';
import { buildRequests, loadSuite, validateSuite } from '../../suites/load.js';
import { METRIC_IDS } from '../../suites/metrics/registry.js';
import { REQUEST_KIND_IDS } from '../../suites/kinds/registry.js';
import { suiteSchema } from '../../suites/spec-check.js';
import { removeDir, tempDir } from './fixtures.js';

const test = suite('suites/FORMAT.md');
const DOC = readFileSync(packagePath('suites', 'FORMAT.md'), 'utf8');

/** `<!-- example: NAME -->` followed by fenced blocks whose info string is `json FILE` or `jsonl FILE`. */
function examples(): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const parts = DOC.split(/<!-- example: ([\w-]+) -->/u);
  for (let i = 1; i < parts.length; i += 2) {
    const body = parts[i + 1].split(/\n#{2,3} /u)[0];
    const files = new Map<string, string>();
    for (const m of body.matchAll(/```jsonl? ([\w.-]+)\n([\s\S]*?)```/gu)) files.set(m[1], m[2]);
    out.set(parts[i], files);
  }
  return out;
}

let dir = '';
test.before(() => {
  dir = tempDir('compbench-format-');
});
test.after(() => removeDir(dir));

function writeExample(name: string, files: Map<string, string>): string {
  const at = join(dir, name);
  mkdirSync(at, { recursive: true });
  for (const [file, text] of files) writeFileSync(join(at, file), text);
  return at;
}

test('every example in the document validates with no problem', () => {
  const all = examples();
  assert.ok(['generate', 'multiple_choice', 'pair', 'rolling', 'rolling-targets', 'slices', 'few-shot', 'chance', 'knowledge-open'].every((n) => all.has(n)), [...all.keys()].join(', '));
  for (const [name, files] of all) {
    assert.ok(files.has('suite.json') && files.has('data.jsonl'), `${name}: a suite.json and a data.jsonl block`);
    const v = validateSuite(writeExample(name, files));
    assert.equal(v.problems, [], name);
  }
});

test('the rolling target word is located as the document says: first whole-word, case-sensitive occurrence', () => {
  const s = loadSuite(writeExample('targets-check', examples().get('rolling-targets')!));
  const [first, second] = buildRequests(s);
  assert.equal(first.requests[1], { type: 'loglikelihood', request: { context: 'The aardvark dug a burrow under the old', continuation: ' tree' } });
  assert.ok(DOC.includes('context `"The aardvark dug a burrow under the old"`, continuation `" tree"`'));
  assert.is(second.requests.length, 3, 'a rolling request and one per target word');
  const quokka = second.requests[1];
  assert.equal(quokka, { type: 'loglikelihood', request: { context: 'A', continuation: ' quokka' } });
  // The document's counterexamples: not inside a longer word, not another case.
  const bad = writeExample('targets-bad', new Map([
    ['suite.json', JSON.stringify({ id: 'w', version: '1', dataset: 'data.jsonl', kind: 'rolling', targetsField: 't', metrics: ['word_nll'] })],
    ['data.jsonl', '{"id": "a", "text": "the catalogue", "t": "cat"}\n{"id": "b", "text": "Dog days", "t": "dog"}\n'],
  ]));
  const problems = validateSuite(bad).problems;
  assert.is(problems.length, 2);
  assert.match(problems[0], /data\.jsonl:1: \$\.t: target word 'cat' does not occur as a whole word/);
  assert.match(problems[1], /data\.jsonl:2: \$\.t: target word 'dog' does not occur/);
});

test('the few-shot prompt is built as the document shows', () => {
  const s = loadSuite(writeExample('shots-check', examples().get('few-shot')!));
  const r = buildRequests(s)[0].requests[0];
  assert.ok(r.type === 'generate');
  assert.match(r.request.prompt, /^Question: What is \d \S \d\?\nAnswer: \d\n\nQuestion: What is \d \S \d\?\nAnswer: \d\n\nQuestion: What is 2 \+ 3\?\nAnswer:$/u);
});

test('every field of suite.json, every kind, metric and role is documented', () => {
  const schema = suiteSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
  const names = Object.entries(schema.properties).flatMap(([name, p]) => [name, ...Object.keys(p.properties ?? {})]);
  for (const name of [...names, ...REQUEST_KIND_IDS, ...METRIC_IDS, ...SUITE_ROLES]) assert.ok(DOC.includes(`\`${name}\``), `FORMAT.md never names \`${name}\``);
  assert.ok(readFileSync(packagePath('README.md'), 'utf8').includes('suites/FORMAT.md'), 'README.md links the format');
  assert.ok(readFileSync(packagePath('suites', 'README.md'), 'utf8').includes('FORMAT.md'), 'suites/README.md links the format');
});

test('suites init writes a starting suite of every kind that validates, and never overwrites', () => {
  for (const kind of REQUEST_KIND_IDS) {
    const at = join(dir, 'init', `My ${kind}`);
    const lines = writeStarterSuite(at, { kind });
    assert.match(lines[0], /that validates$/u, kind);
    const v = validateSuite(at);
    assert.equal(v.problems, [], kind);
    assert.is(v.suite?.spec.id, `my-${kind}`);
    assert.is(v.suite?.spec.role, 'other');
  }
  const open = join(dir, 'init', 'open');
  writeStarterSuite(open, { kind: 'generate', role: 'knowledge-open', closedBookTwin: 'capitals' });
  assert.is(loadSuite(open).spec.closedBookTwin, 'capitals');
  const again = (): string[] => writeStarterSuite(open, { kind: 'generate' });
  assert.throws(again, (e: Error) => e instanceof InputError && /suite\.json exists — choose an empty folder/.test(e.message));
  assert.throws(() => writeStarterSuite(join(dir, 'init', 'x'), { kind: 'generat' }), /Unknown request kind 'generat'\. Did you mean: generate\?/);
  assert.throws(() => writeStarterSuite(join(dir, 'init', 'y'), { kind: 'pair', role: 'fairnes' }), /Unknown role 'fairnes'\. Did you mean: fairness/);
  assert.throws(() => writeStarterSuite(join(dir, 'init', 'z'), { kind: 'generate', role: 'knowledge-open' }), /--closed-book-twin/);
  assert.not.ok(existsSync(join(dir, 'init', 'x')));
});

test.run();
