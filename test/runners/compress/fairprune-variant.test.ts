import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { sliceTexts } from '../../../runners/compress/fairprune-variant.js';
import { compressModel } from '../../../runners/compress/variants.js';
import { assertWrittenRecord } from './written-record.js';
import { teacherDir, tempDir } from '../fixtures.js';

const test = suite('runners/compress/fairprune-variant');

test('slice texts: the bundled fairness suite split by dialect, prompts only', () => {
  const t = sliceTexts('fairness', 'dialect', 'sco');
  assert.is(t.suiteId, 'fairness');
  assert.equal(t.others, ['en']);
  const sco = t.protectedText.split('\n\n');
  const en = t.othersText.split('\n\n');
  // 210 items per dialect (suite.json); identical prompts collapse
  assert.ok(sco.length > 150 && sco.length <= 210 && en.length > 150 && en.length <= 210, `${sco.length} / ${en.length}`);
  assert.ok(sco.some((s) => / ye /u.test(s)) && !en.some((s) => / ye /u.test(s)), 'the Scots prompts are in the protected set only');
  for (const s of [...sco, ...en]) assert.match(s, /The answer is$/u);
});

test('a slice value the suite lacks: one InputError naming the values there', () => {
  assert.throws(() => sliceTexts('fairness', 'dialect', 'welsh'), (e: unknown) => e instanceof InputError && /needs texts tagged dialect=welsh .* its dialect values are en, sco/u.test((e as Error).message));
  assert.throws(() => sliceTexts('fairness', 'colour', 'red'), (e: unknown) => e instanceof InputError && /no instance has the tag 'colour'/u.test((e as Error).message));
  assert.throws(() => sliceTexts('no-such-suite', 'dialect', 'sco'), (e: unknown) => e instanceof InputError && /^fairprune: suite 'no-such-suite'/u.test((e as Error).message));
});

test('teacher: 50% per column, both calibration sets and per-weight errors recorded, simulated form', async () => {
  const dir = teacherDir('fairprune variant');
  if (!dir) return;
  const r = await compressModel(dir, { method: 'fairprune', params: { sparsity: 0.5, beta: 0.2 } }, join(tempDir('fairprune'), 'v'), { calibration: { nSequences: 2, seqLen: 32 } });
  const f = r.record.fairprune!;
  assert.equal([f.suite, f.sliceTag, f.protect, f.others, f.beta], ['fairness', 'dialect', 'sco', ['en'], 0.2]);
  assert.is(f.calibration.protected.source, 'suite:fairness[dialect=sco]');
  assert.is(f.calibration.others.source, 'suite:fairness[dialect≠sco]');
  assert.is(f.calibration.protected.tokens, 64);
  assert.is(f.layers.length, 28);
  assert.is(r.record.execution.form, 'simulated');
  for (const l of r.record.layers) assert.is(l.sparsity, 0.5, l.weight);
  assert.ok(r.record.parameters.nonZero < r.record.baseParameters.nonZero * 0.65);
  // Its calibration is the two slice sets (the top-level `calibration`, the bundled corpus, is not used).
  const written = assertWrittenRecord(r.outDir, { sparsity: 0.5, beta: 0.2, suite: 'fairness', sliceTag: 'dialect', protect: 'sco' }, () => 28, (w) => [w.fairprune!.calibration.protected, w.fairprune!.calibration.others]);
  assert.is(written.calibration, null);
  assert.is.not(written.fairprune!.calibration.protected.sha256, written.fairprune!.calibration.others.sha256);
  assert.is(written.fairprune!.layers.length, 28);
});

test.run();
