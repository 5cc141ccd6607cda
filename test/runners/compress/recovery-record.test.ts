import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { packagePath } from '../../../core/paths.js';
import { validateParams } from '../../../kernels/index.js';
import type { CompressionRecord } from '../../../runners/compress/manifest.js';
import { recoveryRecord } from '../../../runners/compress/recovery-record.js';
import { compressModel } from '../../../runners/compress/variants.js';
import { copyModelFolder, studentDir, tempDir } from '../fixtures.js';

const test = suite('runners/compress/recovery-record');

const QAT_W2 = packagePath('datasets', 'models', 'teacher-qat-w2');
const rtn = (bits: number, extra: Record<string, unknown> = {}) => validateParams('rtn', { bits, group: 32, ...extra });

test('a QAT-recovered folder: its provenance.json, and whether the method packs it on the grid it trained for', () => {
  const prov = JSON.parse(readFileSync(join(QAT_W2, 'provenance.json'), 'utf8')) as { steps: number; trainTokens: { sha256: string }; log: { sha256: string }; finalLoss: number };
  const r = recoveryRecord(QAT_W2, 'rtn', rtn(2))!;
  assert.equal([r.recoveredFrom, r.grid, r.steps, r.trainTokensSha256, r.log.sha256, r.finalLoss, r.gridMatches],
    ['teacher', { method: 'rtn', bits: 2, group: 32, symmetric: false }, prov.steps, prov.trainTokens.sha256, prov.log.sha256, prov.finalLoss, true]);
  assert.is(recoveryRecord(QAT_W2, 'rtn', rtn(4))!.gridMatches, false, 'another bit-width');
  assert.is(recoveryRecord(QAT_W2, 'rtn', rtn(2, { symmetric: true }))!.gridMatches, false, 'the symmetric grid');
  assert.is(recoveryRecord(QAT_W2, 'gptq', validateParams('gptq', { bits: 2, group: 32 }))!.gridMatches, false, 'another method');
});

test('no provenance.json, or one without recoveredFrom (stories260k): no recovery', () => {
  assert.is(recoveryRecord(packagePath('datasets', 'models', 'teacher'), 'rtn', rtn(2)), undefined);
  assert.ok(existsSync(packagePath('datasets', 'models', 'stories260k', 'provenance.json')));
  assert.is(recoveryRecord(packagePath('datasets', 'models', 'stories260k'), 'rtn', rtn(2)), undefined);
});

test('a recovered provenance.json with a bad field or bad JSON: InputError naming the file and JSON path', () => {
  const dir = tempDir('recovery-bad');
  const prov = JSON.parse(readFileSync(join(QAT_W2, 'provenance.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'provenance.json'), JSON.stringify({ ...prov, steps: 'many' }, null, 2));
  assert.throws(() => recoveryRecord(dir, 'rtn', rtn(2)), (e: Error) => e instanceof InputError && e.message.includes(join(dir, 'provenance.json')) && e.message.includes('$.steps'));
  writeFileSync(join(dir, 'provenance.json'), '{"recoveredFrom": "teacher",');
  assert.throws(() => recoveryRecord(dir, 'rtn', rtn(2)), (e: Error) => e instanceof InputError && /provenance\.json: malformed JSON/u.test(e.message));
});

test('compress writes the recovery into compression.json; a broken provenance stops it before any output', async () => {
  const src = studentDir('recovery in compression.json');
  if (!src) return;
  const model = copyModelFolder(src);
  writeFileSync(join(model, 'provenance.json'), readFileSync(join(QAT_W2, 'provenance.json')));
  const out = join(tempDir('recovery-out'), 'v');
  await compressModel(model, { method: 'rtn', params: { bits: 2, group: 32 } }, out);
  const written = JSON.parse(readFileSync(join(out, 'compression.json'), 'utf8')) as CompressionRecord;
  assert.is(written.recovery?.recoveredFrom, 'teacher');
  assert.is(written.recovery?.gridMatches, true);
  writeFileSync(join(model, 'provenance.json'), JSON.stringify({ recoveredFrom: 'teacher' }));
  const out2 = join(tempDir('recovery-out'), 'v');
  await compressModel(model, { method: 'rtn', params: { bits: 2, group: 32 } }, out2).then(
    () => assert.unreachable('a provenance without its fields is refused'),
    (e: Error) => assert.ok(e instanceof InputError && /provenance\.json:1: \$: missing required field 'id'/u.test(e.message), e.message),
  );
  assert.not.ok(existsSync(join(out2, 'compression.json')));
});

test.run();
