import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hashModelFiles } from '../../../runners/run/model-hash.js';

const test = suite('runners/run/model-hash');

test('the combined hash is over name, NUL and bytes in name order; each file also gets its plain sha256', () => {
  const root = mkdtempSync(join(tmpdir(), 'model-hash-'));
  const onnx = join(root, 'onnx');
  mkdirSync(onnx);
  writeFileSync(join(onnx, 'model.onnx.data'), 'weights');
  writeFileSync(join(onnx, 'model.onnx'), 'graph');
  mkdirSync(join(onnx, 'sub'));
  const h = hashModelFiles(onnx);
  const sha = (x: string): string => createHash('sha256').update(x).digest('hex');
  assert.is(h.sha256, sha('model.onnx\0graphmodel.onnx.data\0weights'));
  assert.is(h.sizeBytes, 12);
  assert.equal(h.files, [
    { path: 'onnx/model.onnx', sha256: sha('graph'), bytes: 5 },
    { path: 'onnx/model.onnx.data', sha256: sha('weights'), bytes: 7 },
  ]);
  rmSync(root, { recursive: true, force: true });
});

test.run();
