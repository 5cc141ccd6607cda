import { join } from 'node:path';
import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DecoderSession } from '../../../runners/backends/onnxruntime/decoder-session.js';
import { importCheckpointFolder } from '../../../runners/import/index.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { cli } from '../../cli-helpers.js';
import { tempDir } from '../fixtures.js';
import { fixtureDir, maxLogitDiff, readReference } from './hf-reference.js';

/**
 * An imported folder is an ordinary model folder: transformers.js loads it offline and
 * computes the same logits (its own position ids and cache plumbing), and the compression
 * surgery finds every projection, the tied head included.
 */
const test = suite('runners/import (imported folder in transformers.js and compress)');

const root = tempDir('hf-imported');

for (const name of ['qwen2', 'phi3', 'mistral', 'llama-bf16'] as const) {
  test(`${name}: transformers.js loads the imported folder and agrees (≤ 1e-4)`, async () => {
    const dir = importCheckpointFolder(fixtureDir(name), join(root, name)).dir;
    const ref = readReference(name);
    const ids = ref.prompts[1];
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = root;
    const tjs = await AutoModelForCausalLM.from_pretrained(name, { local_files_only: true, dtype: 'fp32', device: 'cpu' });
    const ours = await DecoderSession.create(loadModelFolder(dir));
    try {
      const mask = new BigInt64Array(ids.length).fill(1n);
      const out = (await tjs({ input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]), attention_mask: new Tensor('int64', mask, [1, ids.length]) })) as Record<string, Tensor>;
      const mine = await ours.forward([ids]);
      const vsTjs = maxLogitDiff(mine, 0, out.logits.data as Float32Array, ids.length);
      assert.ok(vsTjs <= 1e-4, `max |Δlogit| vs transformers.js ${vsTjs}`);
      assert.ok(maxLogitDiff(mine, 0, ref.logits[1], ids.length) <= 1e-4);
    } finally {
      await ours.release();
      await tjs.dispose();
    }
  });
}

test('compbench compress on an imported folder: RTN 4-bit packed, head included, stays close', async () => {
  const dir = join(root, 'llama');
  importCheckpointFolder(fixtureDir('llama'), dir);
  const out = join(root, 'llama-rtn4');
  const r = cli('compress', '--model', dir, '--method', 'rtn', '--bits', '4', '--group', '32', '--form', 'packed', '--include-head', '--out', out);
  assert.is(r.code, 0, r.stderr);
  // 2 layers × 7 projections + lm_head
  assert.match(r.stdout, /form packed, 15 weights/);
  const ref = readReference('llama');
  const s = await DecoderSession.create(loadModelFolder(out));
  try {
    const got = await s.forward([ref.prompts[2]]);
    const d = maxLogitDiff(got, 0, ref.logits[2], ref.prompts[2].length);
    assert.ok(d > 1e-3 && d < 2, `4-bit: max |Δlogit| ${d}`);
  } finally {
    await s.release();
  }
});

test('structured pruning on an imported folder (biases, GQA): packed equals its simulated twin', async () => {
  const dir = join(root, 'llama-bf16-structured');
  importCheckpointFolder(fixtureDir('llama-bf16'), dir);
  const ids = readReference('llama-bf16').prompts[2];
  const logits: Float32Array[] = [];
  for (const form of ['packed', 'simulated']) {
    const out = join(root, `structured-${form}`);
    const r = cli('compress', '--model', dir, '--method', 'structured', '--ratio', '0.5', '--target', 'both', '--form', form, '--out', out);
    assert.is(r.code, 0, r.stderr);
    const s = await DecoderSession.create(loadModelFolder(out));
    try {
      const f = await s.forward([ids]);
      logits.push(f.logits.slice(0, ids.length * f.vocab));
    } finally {
      await s.release();
    }
  }
  let d = 0;
  for (let i = 0; i < logits[0].length; i++) d = Math.max(d, Math.abs(logits[0][i] - logits[1][i]));
  assert.ok(d <= 1e-4, `packed vs simulated ${d}`);
});

test.run();
