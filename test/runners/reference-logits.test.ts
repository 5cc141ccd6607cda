import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../core/paths.js';
import { DecoderSession } from '../../runners/backends/onnxruntime/decoder-session.js';
import type { KvCache } from '../../runners/backends/onnxruntime/kv-cache.js';
import { loadModelFolder } from '../../runners/model/model-folder.js';
import { storiesDir, teacherDir } from './fixtures.js';

/**
 * Our runtime against an independent one, transformers.js v4 (its own input preparation:
 * position ids from the attention mask, cache plumbing), loading the same folder offline.
 */
const test = suite('runners/decoder-session vs transformers.js');

const TOLERANCE = 1e-4;
const PROMPTS = ['Once upon a time', 'The cat sat on the mat and looked at the big red ball.', 'Lily'];
const STEPS = 3;

type Outputs = Record<string, Tensor>;

function maxAbsDiff(a: Float32Array, aOff: number, b: Float32Array, bOff: number, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[aOff + i] - b[bOff + i]));
  return m;
}

async function compareWithTransformers(dir: string): Promise<void> {
  const folder = loadModelFolder(dir);
  const ours = await DecoderSession.create(folder);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(dir);
  const ref = await AutoModelForCausalLM.from_pretrained(basename(dir), { local_files_only: true, dtype: 'fp32', device: 'cpu' });
  try {
    const rows = PROMPTS.map((p) => folder.tokenizer.encode(p));
    const batch = rows.length;
    const width = Math.max(...rows.map((r) => r.length));
    // transformers.js gets left padding (pad id 0 under a zero mask), our forward() pads on the right: real positions must agree
    const ids = new BigInt64Array(batch * width);
    const mask = new BigInt64Array(batch * width);
    rows.forEach((r, b) => r.forEach((t, j) => {
      ids[b * width + width - r.length + j] = BigInt(t);
      mask[b * width + width - r.length + j] = 1n;
    }));
    const mine = await ours.forward(rows);
    let refOut = (await ref({ input_ids: new Tensor('int64', ids, [batch, width]), attention_mask: new Tensor('int64', mask, [batch, width]) })) as Outputs;
    const vocab = mine.vocab;
    let worst = 0;
    rows.forEach((r, b) => {
      for (let j = 0; j < r.length; j++) {
        worst = Math.max(worst, maxAbsDiff(mine.logits, mine.offset(b, j), refOut.logits.data as Float32Array, (b * width + width - r.length + j) * vocab, vocab));
      }
    });
    assert.ok(worst < TOLERANCE, `padded prefill: max |Δlogit| ${worst}`);
    // control: the comparison can fail (last logits of prompt 0 vs prompt 1 differ)
    const control = maxAbsDiff(mine.logits, mine.offset(0, rows[0].length - 1), refOut.logits.data as Float32Array, (2 * width - 1) * vocab, vocab);
    assert.ok(control > 100 * TOLERANCE, `control difference ${control}`);

    // KV-cached steps: feed the same next token to both, carrying each side's own cache
    let cache: KvCache = mine.cache!;
    let refMask = mask;
    let total = width;
    for (let step = 0; step < STEPS; step++) {
      const next = rows.map((_, b) => (7 + 31 * b + 13 * step) % folder.config.vocabSize);
      const past: Outputs = {};
      for (const [k, t] of Object.entries(refOut)) if (k.startsWith('present.')) past[k.replace('present.', 'past_key_values.')] = t;
      const grown = new BigInt64Array(batch * (total + 1));
      for (let b = 0; b < batch; b++) {
        grown.set(refMask.subarray(b * total, (b + 1) * total), b * (total + 1));
        grown[b * (total + 1) + total] = 1n;
      }
      refMask = grown;
      total += 1;
      refOut = (await ref({
        input_ids: new Tensor('int64', BigInt64Array.from(next, BigInt), [batch, 1]),
        attention_mask: new Tensor('int64', refMask, [batch, total]),
        past_key_values: past,
      })) as Outputs;
      const stepOut = await ours.forward(next.map((t) => [t]), cache);
      cache = stepOut.cache!;
      let stepWorst = 0;
      for (let b = 0; b < batch; b++) stepWorst = Math.max(stepWorst, maxAbsDiff(stepOut.logits, stepOut.offset(b, 0), refOut.logits.data as Float32Array, b * vocab, vocab));
      assert.ok(stepWorst < TOLERANCE, `KV step ${step}: max |Δlogit| ${stepWorst}`);
    }
  } finally {
    await ours.release();
    await ref.dispose();
  }
}

test('stories260k: logits match transformers.js (padded batch, KV-cached steps)', async () => {
  const dir = storiesDir('reference logits stories260k');
  if (dir) await compareWithTransformers(dir);
});

test('teacher: logits match transformers.js (padded batch, KV-cached steps)', async () => {
  const dir = teacherDir('reference logits teacher');
  if (dir) await compareWithTransformers(dir);
});

test('other bundled models present (e.g. student): logits match transformers.js', async () => {
  const models = packagePath('datasets', 'models');
  const others = existsSync(models) ? readdirSync(models).filter((m) => m !== 'teacher' && existsSync(join(models, m, 'onnx', 'model.onnx'))) : [];
  if (others.length === 0) console.log('SKIP reference logits: no other datasets/models/* folder');
  for (const m of others) await compareWithTransformers(join(models, m));
});

test.run();
