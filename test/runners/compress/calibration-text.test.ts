import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { packagePath } from '../../../core/paths.js';
import { buildCalibrationSet } from '../../../runners/compress/calibration-set.js';
import {
  calibrationKind, calibrationWarning, isBundledModel, OFF_DOMAIN_WARNING, readCalibrationText, suiteCalibrationText,
} from '../../../runners/compress/calibration-text.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { storiesDir, tempDir } from '../fixtures.js';

const test = suite('runners/compress/calibration-text');

function tinySuite(): string {
  const dir = tempDir('calib-suite');
  writeFileSync(join(dir, 'data.jsonl'), ['Once upon a time there was a cat.\n\nThe cat slept.', 'Tom liked his red ball.'].map((text, i) => JSON.stringify({ id: `d${i}`, text })).join('\n') + '\n');
  writeFileSync(join(dir, 'suite.json'), JSON.stringify({ id: 'my-domain', version: '1', description: 'two stories', dataset: 'data.jsonl', kind: 'rolling', metrics: ['perplexity'] }));
  return dir;
}

test('three sources: a suite, a text file, the bundled corpus', () => {
  assert.is(calibrationKind({}), 'bundled');
  assert.is(calibrationKind({ textFile: '/x.txt' }), 'textFile');
  assert.is(calibrationKind({ suite: '/s' }), 'suite');
  const bundled = readCalibrationText({});
  assert.is(bundled.kind, 'bundled');
  assert.match(bundled.source, /^bundled-corpus:/);
});

test("a suite's instance texts are the calibration text, one paragraph per instance", () => {
  const dir = tinySuite();
  const { id, text } = suiteCalibrationText(dir);
  assert.is(id, 'my-domain');
  assert.equal(text.split('\n\n'), ['Once upon a time there was a cat.\nThe cat slept.', 'Tom liked his red ball.']);
  const r = readCalibrationText({ suite: dir });
  assert.equal([r.kind, r.source], ['suite', 'suite:my-domain']);
  try {
    suiteCalibrationText(join(dir, 'nope'));
    assert.unreachable('a missing suite is an InputError');
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /^calibration suite /);
  }
});

test('a model that is not bundled, calibrated on the bundled corpus, is warned; other choices are not', () => {
  assert.ok(isBundledModel(packagePath('datasets', 'models', 'teacher')));
  assert.not.ok(isBundledModel('/elsewhere/stories260k'));
  assert.not.ok(isBundledModel(packagePath('datasets', 'models')));
  assert.is(calibrationWarning('/elsewhere/stories260k', {}), OFF_DOMAIN_WARNING);
  assert.is(calibrationWarning('/elsewhere/stories260k', { textFile: '/t.txt' }), undefined);
  assert.is(calibrationWarning('/elsewhere/stories260k', { suite: '/s' }), undefined);
  assert.is(calibrationWarning(packagePath('datasets', 'models', 'teacher'), {}), undefined);
});

test('a suite calibrates a real model: provenance says suite, with the text hash', () => {
  const model = storiesDir('calibration from a suite');
  if (!model) return;
  const set = buildCalibrationSet({ suite: tinySuite(), nSequences: 2, seqLen: 16 }, loadModelFolder(model).tokenizer);
  assert.is(set.provenance.kind, 'suite');
  assert.is(set.provenance.source, 'suite:my-domain');
  assert.match(set.provenance.textSha256, /^[0-9a-f]{64}$/);
  assert.ok(set.sequences.length >= 1);
});

test.run();
