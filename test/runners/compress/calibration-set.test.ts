import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { sharedExternalDir } from '../../../core/paths.js';
import { buildCalibrationSet, hashSequences } from '../../../runners/compress/calibration-set.js';
import { loadModelFolder } from '../../../runners/model-folder.js';
import { storiesDir, tempDir } from '../fixtures.js';

const test = suite('runners/compress/calibration-set');

test('hash of sequences: fixed layout [count, len, ids…] as int32 LE', () => {
  // sha256 of the 5 int32 words 1, 3, 1, 2, 3 (little-endian), computed with printf '\x01\x00…' | sha256sum.
  assert.is(hashSequences([[1, 2, 3]]), '40c67448e7a0151cf3fc40ee54ff8777891864483afe0472094e2a6ee4d953f1');
  assert.is.not(hashSequences([[1, 2], [3]]), hashSequences([[1, 2, 3]]));
});

test('same settings give the same sequences and hash; another seed differs', () => {
  const dir = storiesDir('calibration determinism');
  const ext = sharedExternalDir();
  if (!dir || !ext) return;
  const tok = loadModelFolder(dir).tokenizer;
  const textFile = join(ext, 'datasets', 'tinystories_sample.txt');
  const a = buildCalibrationSet({ textFile, nSequences: 4, seqLen: 32, seed: 3 }, tok);
  const b = buildCalibrationSet({ textFile, nSequences: 4, seqLen: 32, seed: 3 }, tok);
  const c = buildCalibrationSet({ textFile, nSequences: 4, seqLen: 32, seed: 4 }, tok);
  assert.equal(a.sequences, b.sequences);
  assert.is(a.provenance.sha256, b.provenance.sha256);
  assert.is.not(a.provenance.sha256, c.provenance.sha256);
  assert.is(a.sequences.length, 4);
  for (const s of a.sequences) {
    assert.is(s.length, 32);
    assert.is(s[0], 1, 'starts with BOS (id 1)');
  }
  assert.equal({ ...a.provenance, sha256: '' }, { source: textFile, textSha256: a.provenance.textSha256, nSequences: 4, seqLen: 32, seed: 3, tokens: 128, sha256: '' });
});

test('an empty calibration text is an InputError', () => {
  const dir = storiesDir('calibration empty');
  if (!dir) return;
  const file = join(tempDir('calib'), 'empty.txt');
  writeFileSync(file, '\n\n  \n');
  assert.throws(() => buildCalibrationSet({ textFile: file }, loadModelFolder(dir).tokenizer), (e: unknown) => e instanceof InputError && /calibration set is empty/.test(e.message));
});

test.run();
