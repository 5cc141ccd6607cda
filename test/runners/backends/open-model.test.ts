import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeBackend } from '../../../runners/backends/backend-info.js';
import { locateModel, openModel } from '../../../runners/backends/open-model.js';
import { tempDir } from '../fixtures.js';
import { folderWithGguf, inputErrorOf, storiesGguf } from './llama-cpp/fixtures.js';

const test = suite('runners/backends/open-model');

test('locateModel: .gguf file or a folder with one → llama.cpp; onnx/ folder → onnxruntime; ambiguity refused', async () => {
  const dir = tempDir('locate');
  writeFileSync(join(dir, 'a.gguf'), 'x');
  assert.equal(locateModel(join(dir, 'a.gguf')), { backend: 'llama.cpp', ggufPath: join(dir, 'a.gguf') });
  assert.equal(locateModel(dir), { backend: 'llama.cpp', ggufPath: join(dir, 'a.gguf') });
  writeFileSync(join(dir, 'b.GGUF'), 'x');
  assert.match(await inputErrorOf(Promise.resolve().then(() => locateModel(dir))), /^model folder .*locate-\w+ holds 2 \.gguf files \(a\.gguf, b\.GGUF\): keep one, or name the \.gguf file itself$/);
  mkdirSync(join(dir, 'onnx'));
  assert.match(await inputErrorOf(Promise.resolve().then(() => locateModel(dir))), /holds both onnx\/ and a\.gguf, b\.GGUF: keep one runtime's files per folder, or name the \.gguf file itself$/);
  const onnx = tempDir('locate-onnx');
  mkdirSync(join(onnx, 'onnx'));
  assert.equal(locateModel(onnx), { backend: 'onnxruntime', dir: onnx });
  writeFileSync(join(onnx, 'config.json'), '{}');
  assert.match(await inputErrorOf(Promise.resolve().then(() => locateModel(join(onnx, 'config.json')))), /is a file but not a \.gguf/);
  assert.match(await inputErrorOf(Promise.resolve().then(() => locateModel(join(onnx, 'nope')))), /^model folder or \.gguf file .*nope not found/);
});

test('openModel runs a GGUF on llama.cpp and an ONNX folder on onnxruntime; compression.json runtime.kvCache reaches llama.cpp', async () => {
  const s = storiesGguf('openModel');
  if (!s) return;
  const onnx = await openModel(s.dir);
  const llama = await openModel(s.gguf);
  try {
    assert.is(describeBackend(onnx)?.backend, 'onnxruntime');
    assert.is(describeBackend(llama)?.backend, 'llama.cpp');
    const req = [{ context: 'Once upon a time', continuation: ', there was a little girl' }];
    const [a] = await onnx.loglikelihood(req);
    const [b] = await llama.loglikelihood(req);
    assert.ok(Math.abs(a.logprob - b.logprob) < 1e-4, `${a.logprob} vs ${b.logprob}`);
  } finally {
    await onnx.dispose?.();
    await llama.dispose?.();
  }
  const variant = folderWithGguf(s.gguf);
  writeFileSync(join(variant, 'compression.json'), JSON.stringify({ method: 'none', runtime: { kvCache: 'f16' } }));
  const f16 = await openModel(variant, { threads: 1 });
  try {
    const info = describeBackend(f16);
    assert.equal(info?.backend === 'llama.cpp' ? info.kvCache : undefined, { key: 'F16', value: 'F16' });
  } finally {
    await f16.dispose?.();
  }
  writeFileSync(join(variant, 'compression.json'), JSON.stringify({ runtime: { kvCache: 'q3' } }));
  assert.match(await inputErrorOf(openModel(variant)), /compression\.json runtime\.kvCache must be one of f32, f16, q8_0, q4_0 \(got "q3"\)$/);
  writeFileSync(join(variant, 'compression.json'), JSON.stringify({ runtime: 'q8_0' }));
  assert.match(await inputErrorOf(openModel(variant)), /compression\.json: runtime must be an object such as \{ "kvCache": "q8_0" \}$/);
  const copy = tempDir('gguf-onnx');
  copyFileSync(s.gguf, join(copy, 'm.gguf'));
  mkdirSync(join(copy, 'onnx'));
  assert.match(await inputErrorOf(openModel(copy)), /holds both onnx\/ and m\.gguf/);
});

test.run();
