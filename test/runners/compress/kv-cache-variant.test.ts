import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { compressModel } from '../../../runners/compress/variants.js';
import { readModelFile } from '../../../runners/formats/onnx/read-model.js';
import { copyModelFolder, studentDir, tempDir, withoutKvCache } from '../fixtures.js';

const test = suite('runners/compress/kv-cache-variant');

async function inputError(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    assert.instance(e, InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

test('kivi2 variant: weights hard-linked unchanged, runtime.kvCache, params, KV bytes of the student', async () => {
  const student = studentDir('kv-cache variant');
  if (!student) return;
  const src = copyModelFolder(student);
  const out = join(tempDir('kv-variant'), 'v');
  const { record } = await compressModel(src, { method: 'kv-cache', params: { type: 'kivi2', group: 16, residual: 32 } }, out);
  const a = statSync(join(src, 'onnx', 'model.onnx'));
  const b = statSync(join(out, 'onnx', 'model.onnx'));
  assert.is(b.ino, a.ino, 'a hard link (same file system)');
  assert.equal([record.method, record.execution.form, record.params], ['kv-cache', 'simulated', { type: 'kivi2', group: 16, residual: 32 }]);
  assert.equal(record.runtime, { kvCache: { type: 'kivi2', group: 16, residual: 32 } });
  // student: 2 layers × 2 × 4 KV heads × 32 = 512 elements; 2 bits + 4 bytes per 16 = 0.5 bytes each; window 32 × 2048 B
  assert.equal([record.kvCache?.bytesPerToken, record.kvCache?.fp32BytesPerToken, record.kvCache?.residualWindowBytes], [256, 2048, 65536]);
  assert.equal(JSON.parse(readFileSync(join(out, 'compression.json'), 'utf8')).runtime, record.runtime);
  assert.is(record.sizeBytes, record.baseSizeBytes);
});

test('a packed kv-cache form and a model without a KV cache are InputErrors that say why', async () => {
  const student = studentDir('kv-cache variant errors');
  if (!student) return;
  const packed = await inputError(() => compressModel(student, { method: 'kv-cache', params: { type: 'q8_0' }, form: 'packed' }, join(tempDir('kv'), 'v')));
  assert.match(packed, 'kv-cache: no packed form: the KV cache is quantized then dequantized to fp32');
  const noKv = copyModelFolder(student);
  const onnx = join(noKv, 'onnx', 'model.onnx');
  writeFileSync(onnx, withoutKvCache(readModelFile(onnx), 4, 32));
  assert.match(await inputError(() => compressModel(noKv, { method: 'kv-cache', params: { type: 'q4_0' } }, join(tempDir('kv'), 'v'))), 'has no past_key_values inputs');
});

test.run();
