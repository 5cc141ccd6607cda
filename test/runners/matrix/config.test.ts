import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { METHOD_IDS } from '../../../kernels/registry.js';
import { calibrationFor, DEFAULT_CONFIG_FILE, loadRunConfig, readConfigFile } from '../../../runners/matrix/config.js';
import { storiesDir } from '../fixtures.js';
import { inputErrorOf, writeConfig } from './fixtures.js';

const test = suite('runners/matrix/config');

test("the schema's method enum equals the registry's keys", () => {
  const schema = JSON.parse(readFileSync(packagePath('core', 'schemas', 'run-config.schema.json'), 'utf8'));
  assert.equal(schema.properties.methods.items.properties.method.enum, METHOD_IDS);
});

test('the bundled default config is valid and names every bundled suite', () => {
  const { raw } = readConfigFile(DEFAULT_CONFIG_FILE);
  const bundled = ['fairness', 'fairness-pairs', 'fairness-people', 'knowledge-closed', 'knowledge-open', 'perplexity', 'rare-words', 'reasoning', 'tinystories-cloze', 'tinystories-perplexity'];
  assert.equal([...(raw.suites as string[])].sort(), bundled);
  assert.is((raw.measurement as { enabled: boolean }).enabled, true);
});

test('an unknown method is one line with file, line, JSON path and did-you-mean', () => {
  const file = writeConfig({}, '{\n  "methods": [\n    { "method": "rtm", "bits": 4 }\n  ]\n}\n');
  const msg = inputErrorOf(() => readConfigFile(file));
  assert.match(msg, `${file}:3: $.methods[0].method: Unknown method 'rtm'`);
  assert.match(msg, 'Did you mean: rtn');
});

test('a misspelt top-level field suggests the right one', () => {
  const msg = inputErrorOf(() => readConfigFile(writeConfig({ sutes: ['reasoning'] })));
  assert.match(msg, "$.sutes: unknown field 'sutes' — did you mean: suites?");
});

test('malformed JSON names the file', () => {
  const file = writeConfig({}, '{ "seed": 1,, }');
  assert.match(inputErrorOf(() => readConfigFile(file)), `${file}: malformed JSON`);
});

test('unknown suite: did you mean; unreadable model: names the folder', () => {
  const stories = storiesDir('config model checks');
  if (!stories) return;
  const badSuite = writeConfig({ models: [{ id: 'm', dir: stories }], suites: ['reasonin'] });
  assert.match(inputErrorOf(() => loadRunConfig(badSuite)), "$.suites[0]: Unknown suite 'reasonin'. Did you mean: reasoning?");
  const badModel = writeConfig({ models: [{ id: 'm', dir: join(stories, 'nope') }], suites: ['reasoning'] });
  assert.match(inputErrorOf(() => loadRunConfig(badModel)), /\$\.models\[0\]\.dir: model folder .*nope is not readable/);
  const badRef = writeConfig({ models: [{ id: 'm', dir: stories }], suites: ['reasoning'], methods: [{ method: 'rtn', models: ['x'] }] });
  assert.match(inputErrorOf(() => loadRunConfig(badRef)), "$.methods[0].models[0]: Unknown model 'x'");
  const badGate = writeConfig({ models: [{ id: 'm', dir: stories }], suites: ['reasoning'], gatePolicy: 'policy.json' });
  assert.match(inputErrorOf(() => loadRunConfig(badGate)), /\$\.gatePolicy: policy file .*policy\.json not found/);
});

test('defaults fill absent fields; flags override; paths are relative to the config file', () => {
  const stories = storiesDir('config defaults');
  if (!stories) return;
  const file = writeConfig({ models: [{ id: 'm', dir: stories }], suites: ['reasoning'], cacheDir: 'cache' });
  const c = loadRunConfig(file, { limit: 7, workers: 1 });
  assert.is(c.baseline, 'm');
  assert.is(c.limit, 7);
  assert.is(c.seed, 1234);
  assert.is(c.execution.workers, 1);
  assert.is(c.execution.shardSize, 128);
  assert.is(c.cacheDir, join(file, '..', 'cache'));
  assert.is(c.suites[0], packagePath('suites', 'reasoning'));
  assert.ok(c.methods.length > 0, 'methods come from the default');
});

test('compareTo and distilledFrom name another model of the config', () => {
  const teacher = packagePath('datasets', 'models', 'teacher');
  const self = writeConfig({ models: [{ id: 'a', dir: teacher, compareTo: 'a' }], suites: ['reasoning'] });
  assert.match(inputErrorOf(() => loadRunConfig(self)), /\$\.models\[0\]\.compareTo: model 'a' cannot be compared with itself/);
  const unknown = writeConfig({ models: [{ id: 'a', dir: teacher }, { id: 'b', dir: teacher, distilledFrom: 'aa' }], suites: ['reasoning'] });
  assert.match(inputErrorOf(() => loadRunConfig(unknown)), /\$\.models\[1\]\.distilledFrom: Unknown model 'aa'/);
});

test('a model calibration: exactly one source, paths relative to the config, sampling over the run\'s', () => {
  const teacher = packagePath('datasets', 'models', 'teacher');
  const two = writeConfig({ models: [{ id: 'a', dir: teacher, calibration: { textFile: 'x.txt', bundled: true } }], suites: ['reasoning'] });
  assert.match(inputErrorOf(() => loadRunConfig(two)), /\$\.models\[0\]\.calibration\.bundled: give exactly one calibration source/);
  const file = writeConfig({
    models: [
      { id: 'a', dir: teacher, calibration: { textFile: 'domain.txt', nSequences: 4 } },
      { id: 'b', dir: teacher, calibration: { suite: 'perplexity' } },
      { id: 'c', dir: teacher, calibration: { bundled: true } },
      { id: 'd', dir: teacher },
    ],
    suites: ['reasoning'],
    calibration: { textFile: 'run.txt', nSequences: 16, seqLen: 64 },
  });
  const c = loadRunConfig(file);
  assert.equal(calibrationFor(c, 'a'), { nSequences: 4, seqLen: 64, textFile: join(file, '..', 'domain.txt') });
  assert.equal(calibrationFor(c, 'b'), { nSequences: 16, seqLen: 64, suite: packagePath('suites', 'perplexity') });
  assert.equal(calibrationFor(c, 'c'), { nSequences: 16, seqLen: 64 });
  assert.equal(calibrationFor(c, 'd'), { nSequences: 16, seqLen: 64, textFile: join(file, '..', 'run.txt') });
});

test.run();
