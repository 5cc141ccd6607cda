import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import { externalDataRefs } from '../../../../runners/formats/onnx/external-data.js';
import { initializerFloat32 } from '../../../../runners/formats/onnx/initializer-data.js';
import { decodeModel, encodeModel, listInitializers, readModelFile } from '../../../../runners/formats/onnx/read-model.js';
import { float32Bytes, storiesDir, tempDir, tinyMatMulModel } from '../../fixtures.js';

const test = suite('runners/formats/onnx/read-model');

const W = [0.5, -1.25, 2, 3.75];

function writeModel(dir: string, bytes: Uint8Array): string {
  const path = join(dir, 'model.onnx');
  writeFileSync(path, bytes);
  return path;
}

async function runTiny(path: string): Promise<number[]> {
  const s = await ort.InferenceSession.create(path);
  const out = await s.run({ X: new ort.Tensor('float32', new Float32Array([1, 2]), [1, 2]) });
  await s.release();
  return Array.from(out.Y.data as Float32Array);
}

// [1, 2] @ [[0.5, -1.25], [2, 3.75]] = [4.5, 6.25]
const Y = [4.5, 6.25];

test('initializer values from float_data, unaligned raw_data and an external file agree', async () => {
  const dir = tempDir('onnx');
  const typed = readModelFileFrom(dir, 'typed', tinyMatMulModel({ float_data: W }));
  const raw = float32Bytes(W, 1).subarray(1); // a view starting at an odd byte offset
  const rawModel = readModelFileFrom(dir, 'raw', tinyMatMulModel({ raw_data: raw }));
  mkdirSync(join(dir, 'ext'));
  writeFileSync(join(dir, 'ext', 'w.bin'), float32Bytes(W, 7));
  const ext = tinyMatMulModel({
    data_location: 1,
    external_data: [
      { key: 'location', value: 'w.bin' },
      { key: 'offset', value: '7' },
      { key: 'length', value: '16' },
    ],
  });
  const extPath = writeModel(join(dir, 'ext'), ext);
  for (const [model, path] of [typed, rawModel, [readModelFile(extPath), extPath] as const]) {
    assert.equal(Array.from(initializerFloat32(model, 'W', path)), W);
  }
  assert.equal(listInitializers(readModelFile(extPath))[0], { name: 'W', dims: [2, 2], dataType: 1, elementCount: 4, storage: 'external' });
  // onnxruntime reads the same bytes we do
  assert.equal(await runTiny(extPath), Y);
  assert.equal(await runTiny(typed[1]), Y);
});

function readModelFileFrom(dir: string, name: string, bytes: Uint8Array): readonly [ReturnType<typeof readModelFile>, string] {
  mkdirSync(join(dir, name));
  const path = writeModel(join(dir, name), bytes);
  return [readModelFile(path), path] as const;
}

test('float16 raw_data converts to float32', () => {
  // 1.0 = 0x3c00, -2.0 = 0xc000, 0.5 = 0x3800, 65504 = 0x7bff (IEEE 754 half)
  const bytes = new Uint8Array([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38, 0xff, 0x7b]);
  const model = decodeModel(tinyMatMulModel({ data_type: 10, raw_data: bytes }), 'fp16');
  assert.equal(Array.from(initializerFloat32(model, 'W', '/nonexistent/model.onnx')), [1, -2, 0.5, 65504]);
});

test('external data that leaves the model folder is rejected before any read', () => {
  const dir = tempDir('evil');
  mkdirSync(join(dir, 'onnx'));
  writeFileSync(join(dir, 'evil.bin'), float32Bytes(W));
  const evil = (location: string): Uint8Array =>
    tinyMatMulModel({ data_location: 1, external_data: [{ key: 'location', value: location }] });
  for (const location of ['../evil.bin', '/etc/passwd', 'sub/../../evil.bin']) {
    const path = writeModel(join(dir, 'onnx'), evil(location));
    assert.throws(() => readModelFile(path), (e: unknown) => e instanceof InputError && e.message.includes(location) && e.message.includes('outside'));
  }
  // a symlink inside the folder that points outside is caught too
  symlinkSync(join(dir, 'evil.bin'), join(dir, 'onnx', 'link.bin'));
  const path = writeModel(join(dir, 'onnx'), evil('link.bin'));
  assert.equal(externalDataRefs(decodeModel(readFileSync(path), path)).map((r) => r.location), ['link.bin']);
  assert.throws(() => readModelFile(path), (e: unknown) => e instanceof InputError && e.message.includes('outside'));
});

test('garbage bytes are an InputError naming the file', () => {
  const dir = tempDir('garbage');
  const path = join(dir, 'model.onnx');
  // fixed pseudo-random bytes (LCG, seed 42)
  let x = 42;
  writeFileSync(path, Uint8Array.from({ length: 4096 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24)));
  assert.throws(() => readModelFile(path), (e: unknown) => e instanceof InputError && e.message.includes(path) && !e.message.includes('\n'));
});

test('stories260k: initializers, tied classifier stored twice, byte-exact round trip', async () => {
  const dir = storiesDir('read-model stories260k');
  if (!dir) return;
  const path = join(dir, 'onnx', 'model.onnx');
  const bytes = readFileSync(path);
  const model = readModelFile(path);
  const list = listInitializers(model);
  const byName = new Map(list.map((i) => [i.name, i]));
  // README: embed_tokens [512, 64] for the Gather, lm_head [64, 512] for the MatMul
  assert.equal(byName.get('model.embed_tokens.weight')?.dims, [512, 64]);
  assert.equal(byName.get('lm_head.weight')?.dims, [64, 512]);
  const embed = initializerFloat32(model, 'model.embed_tokens.weight', path);
  const head = initializerFloat32(model, 'lm_head.weight', path);
  let maxDiff = 0;
  for (let v = 0; v < 512; v++) for (let d = 0; d < 64; d++) maxDiff = Math.max(maxDiff, Math.abs(embed[v * 64 + d] - head[d * 512 + v]));
  assert.is(maxDiff, 0, 'lm_head is the transpose of embed_tokens (tied weights)');
  const again = encodeModel(model);
  assert.ok(Buffer.from(again).equals(bytes), 're-encoded model is byte-identical');
  assert.is(listInitializers(decodeModel(again, 're-encoded')).length, list.length);
});

test.run();
