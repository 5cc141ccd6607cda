import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { OnnxDecoderAdapter } from '../../../runners/backends/onnxruntime/onnx-adapter.js';
import { copyModelFolder, storiesDir, tempDir, tinyMatMulModel } from '../fixtures.js';

const test = suite('runners/model/model-folder (error paths)');

/** Loads `dir` and returns the InputError message (fails the test on success or another error). */
async function loadError(dir: string, options = {}): Promise<string> {
  try {
    const adapter = await OnnxDecoderAdapter.load(dir, options);
    await adapter.dispose();
  } catch (e) {
    assert.instance(e, InputError, `expected an InputError, got ${String(e)}`);
    const message = (e as InputError).message;
    assert.not.match(message, /\n/, 'one line');
    return message;
  }
  assert.unreachable(`loading ${dir} should fail`);
  return '';
}

function editJson(path: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(path, JSON.stringify(json));
}

test('missing folder, config.json, tokenizer.json, onnx/model.onnx', async () => {
  const src = storiesDir('model-folder errors');
  if (!src) return;
  assert.match(await loadError(join(tempDir('none'), 'nope')), /nope not found/);
  for (const file of ['config.json', 'tokenizer.json', join('onnx', 'model.onnx')]) {
    const dir = copyModelFolder(src);
    rmSync(join(dir, file));
    const message = await loadError(dir);
    assert.ok(message.includes(join(dir, file)) && message.includes('not found'), message);
  }
});

test('corrupt config.json and garbage model.onnx name their file', async () => {
  const src = storiesDir('model-folder corrupt files');
  if (!src) return;
  const dir = copyModelFolder(src);
  writeFileSync(join(dir, 'config.json'), '{ "num_hidden_layers": 5, ');
  assert.match(await loadError(dir), /config\.json is not valid JSON/);
  const dir2 = copyModelFolder(src);
  editJson(join(dir2, 'config.json'), (c) => delete c.num_hidden_layers);
  assert.match(await loadError(dir2), /config\.json: field num_hidden_layers must be a positive integer/);
  const dir3 = copyModelFolder(src);
  writeFileSync(join(dir3, 'onnx', 'model.onnx'), Buffer.from('this is not a protobuf, just text'.repeat(20)));
  const message = await loadError(dir3);
  assert.ok(message.includes(join(dir3, 'onnx', 'model.onnx')) && message.includes('not a valid ONNX model'), message);
});

test('tokenizer larger than config vocab_size, or than the logits', async () => {
  const src = storiesDir('model-folder vocab');
  if (!src) return;
  const dir = copyModelFolder(src);
  editJson(join(dir, 'config.json'), (c) => (c.vocab_size = 500));
  assert.match(await loadError(dir), /tokenizer\.json: the tokenizer has 512 tokens but config\.json vocab_size is 500/);
  // config says 600, the graph's logits have 512: 8 extra tokenizer entries overflow the logits
  const dir2 = copyModelFolder(src);
  editJson(join(dir2, 'config.json'), (c) => (c.vocab_size = 600));
  editJson(join(dir2, 'tokenizer.json'), (t) => {
    const model = t.model as { vocab: Record<string, number> };
    const added = t.added_tokens as object[];
    for (let i = 0; i < 8; i++) {
      model.vocab[`<extra_${i}>`] = 512 + i;
      added.push({ id: 512 + i, content: `<extra_${i}>`, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
    }
  });
  assert.match(await loadError(dir2), /tokenizer has 520 tokens but the model's logits have 512/);
});

test('external data outside the model folder is refused before onnxruntime opens the file', async () => {
  const src = storiesDir('model-folder external data');
  if (!src) return;
  const dir = copyModelFolder(src);
  writeFileSync(join(dir, 'evil.bin'), new Uint8Array(16));
  writeFileSync(join(dir, 'onnx', 'model.onnx'), tinyMatMulModel({ data_location: 1, external_data: [{ key: 'location', value: '../evil.bin' }] }));
  const message = await loadError(dir);
  assert.ok(message.includes("external data '../evil.bin'") && message.includes('outside the model folder'), message);
});

test('bad options and generation limits are InputErrors naming the option or limit', async () => {
  const src = storiesDir('model-folder options');
  if (!src) return;
  assert.match(await loadError(src, { maxLength: 4096 }), /options\.maxLength must be an integer in 2\.\.512/);
  assert.match(await loadError(src, { batch: { maxRows: 0, maxTokens: 10 } }), /options\.maxRows must be a positive integer/);
  assert.match(await loadError(src, { intraOpNumThreads: 0 }), /intraOpNumThreads must be a positive integer/);
  const adapter = await OnnxDecoderAdapter.load(src);
  try {
    for (const [prompt, maxNewTokens, pattern] of [
      ['word '.repeat(600), 4, /prompt has \d+ tokens but the model's context \(max_position_embeddings\) is 512/],
      ['hi', -1, /maxNewTokens must be a non-negative integer/],
    ] as const) {
      let caught: unknown;
      await adapter.generate([{ prompt, options: { maxNewTokens } }]).catch((e: unknown) => (caught = e));
      assert.instance(caught, InputError);
      assert.match((caught as Error).message, pattern);
    }
  } finally {
    await adapter.dispose();
  }
});

test.run();
