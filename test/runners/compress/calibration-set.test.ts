import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { packagePath, sharedExternalDir } from '../../../core/paths.js';
import { buildCalibrationSet, CALIBRATION_MODES, hashSequences } from '../../../runners/compress/calibration-set.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
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
  assert.equal({ ...a.provenance, sha256: '' }, {
    source: textFile, kind: 'textFile', textSha256: a.provenance.textSha256, nSequences: 4, seqLen: 32, seed: 3, mode: 'stream', split: 'lines', tokens: 128, sha256: '',
  });
  assert.equal(buildCalibrationSet({ textFile, nSequences: 4, seqLen: 32, seed: 3, mode: 'stream' }, tok).sequences, a.sequences, 'stream is the default');
});

test('documents mode: one BOS-started sequence per document, truncated, never crossing a boundary', () => {
  const dir = storiesDir('calibration documents');
  if (!dir) return;
  const tok = loadModelFolder(dir).tokenizer;
  const file = join(tempDir('calib-docs'), 'docs.txt');
  // Three paragraphs (blank-line separated), the second long enough to be truncated at seqLen 16.
  const docs = ['Lily saw a cat.', 'Tom had a big red ball and he liked to play with it in the park every day with his dog.', 'The sun was hot.'];
  writeFileSync(file, `${docs[0]}\n\n${docs[1]}\nStill the second.\n\n${docs[2]}\n`);
  const full = [docs[0], `${docs[1]}\nStill the second.`, docs[2]].map((d) => tok.encodePlain(d));
  const r = buildCalibrationSet({ textFile: file, nSequences: 3, seqLen: 16, seed: 1, mode: 'documents' }, tok);
  assert.is(r.provenance.mode, 'documents');
  assert.is(r.provenance.split, 'paragraphs');
  assert.is(r.sequences.length, 3);
  const seen = new Set<number>();
  for (const s of r.sequences) {
    assert.is(s[0], 1, 'starts with BOS (id 1)');
    assert.ok(s.length <= 16);
    // The body is the start of exactly one document: no sequence runs into the next one.
    const d = full.findIndex((ids) => ids.slice(0, s.length - 1).join() === s.slice(1).join());
    assert.ok(d >= 0, `sequence ${s.join(',')} is not the start of a document`);
    seen.add(d);
    assert.is(s.length, Math.min(16, full[d].length + 1));
  }
  assert.is(seen.size, 3);
  assert.is(r.provenance.tokens, r.sequences.reduce((a, s) => a + s.length, 0));
  // More documents than needed: the seeded shuffle picks which; fewer paragraphs than wanted: lines.
  assert.is(buildCalibrationSet({ textFile: file, nSequences: 2, seqLen: 16, seed: 1, mode: 'documents' }, tok).sequences.length, 2);
  const lines = buildCalibrationSet({ textFile: file, nSequences: 4, seqLen: 64, seed: 1, mode: 'documents' }, tok);
  assert.is(lines.provenance.split, 'lines');
  assert.is(lines.sequences.length, 4);
  const stream = buildCalibrationSet({ textFile: file, nSequences: 3, seqLen: 16, seed: 1 }, tok);
  assert.is.not(stream.provenance.sha256, r.provenance.sha256);
});

test("the run-config schema's calibration modes are CALIBRATION_MODES", () => {
  const schema = JSON.parse(readFileSync(packagePath('core', 'schemas', 'run-config.schema.json'), 'utf8'));
  assert.equal(schema.properties.calibration.properties.mode.enum, [...CALIBRATION_MODES]);
  assert.throws(() => buildCalibrationSet({ mode: 'docs' as 'documents' }, { encode: () => [1], encodePlain: () => [] } as never), (e: unknown) => e instanceof InputError && /calibration mode must be one of stream, documents, got 'docs'/.test(e.message));
});

test('an empty calibration text is an InputError', () => {
  const dir = storiesDir('calibration empty');
  if (!dir) return;
  const file = join(tempDir('calib'), 'empty.txt');
  writeFileSync(file, '\n\n  \n');
  assert.throws(() => buildCalibrationSet({ textFile: file }, loadModelFolder(dir).tokenizer), (e: unknown) => e instanceof InputError && /calibration set is empty/.test(e.message));
});

test.run();
