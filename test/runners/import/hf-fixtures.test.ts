import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DecoderSession, type ForwardResult } from '../../../runners/backends/onnxruntime/decoder-session.js';
import { importCheckpointFolder } from '../../../runners/import/index.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { tempDir } from '../fixtures.js';
import { argmax, fixtureDir, HF_FIXTURES, maxLogitDiff, readReference, type HfReference } from './hf-reference.js';

/**
 * Each family's tiny checkpoint (test/fixtures/hf, written by transformers' save_pretrained)
 * imported to ONNX reproduces PyTorch's forward pass: logits within 1e-4 on three prompts
 * (8, 23 and 33 tokens: past every sliding window and across LongRoPE's switch), the same
 * greedy continuation, KV-cached steps equal to the full forward, and padded batches equal
 * to rows run alone. Measured max |Δlogit| (transformers 5.18, torch 2.13, ORT 1.30 CPU):
 * ≤ 6.4e-6 for every family, fp32/bf16/fp16 storage alike (the checkpoint's values are
 * exact in fp32). Against PyTorch's own bf16 forward the error is bf16 arithmetic, not the
 * import: 0.051 (bf16, |logit| ≤ 3.8) and 0.009 (fp16).
 */
const test = suite('runners/import (Hugging Face fixtures vs PyTorch)');

const TOLERANCE = 1e-4;
/** Stated bounds against PyTorch's forward in the storage dtype (measured 0.051 / 0.009). */
const LOW_PRECISION_BOUND: Readonly<Record<string, number>> = { bfloat16: 0.1, float16: 0.02 };

const root = tempDir('hf-import');
const sessions = new Map<string, { session: DecoderSession; ref: HfReference }>();

test.before(async () => {
  for (const name of HF_FIXTURES) {
    const out = join(root, name);
    importCheckpointFolder(fixtureDir(name), out);
    sessions.set(name, { session: await DecoderSession.create(loadModelFolder(out)), ref: readReference(name) });
  }
});

test.after(async () => {
  for (const { session } of sessions.values()) await session.release();
  rmSync(root, { recursive: true, force: true });
});

function rowLogits(r: ForwardResult, row: number, j: number): Float32Array {
  const at = r.offset(row, j);
  return r.logits.subarray(at, at + r.vocab);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const name of HF_FIXTURES) {
  test(`${name}: logits equal PyTorch's within ${TOLERANCE}`, async () => {
    const { session, ref } = sessions.get(name)!;
    let worst = 0;
    for (let p = 0; p < ref.prompts.length; p++) {
      const r = await session.forward([ref.prompts[p]]);
      worst = Math.max(worst, maxLogitDiff(r, 0, ref.logits[p], ref.prompts[p].length));
      if (ref.lowPrecisionLogits) {
        const low = maxLogitDiff(r, 0, ref.lowPrecisionLogits[p], ref.prompts[p].length);
        assert.ok(low <= LOW_PRECISION_BOUND[ref.storage], `${ref.storage} forward: max |Δlogit| ${low}`);
      }
    }
    assert.ok(worst <= TOLERANCE, `max |Δlogit| ${worst}`);
    // control: the bound is real — the last logits of prompt 0 against prompt 1's differ by far more
    const r0 = await session.forward([ref.prompts[0]]);
    const last = ref.prompts[0].length - 1;
    assert.ok(maxDiff(rowLogits(r0, 0, last), ref.logits[1].subarray(last * ref.vocab, (last + 1) * ref.vocab)) > 100 * TOLERANCE);
  });

  test(`${name}: greedy continuation equals PyTorch's`, async () => {
    const { session, ref } = sessions.get(name)!;
    for (let p = 0; p < ref.prompts.length; p++) {
      const n = ref.greedy[p].length;
      const got: number[] = [];
      if (name === 'phi3-longrope') {
        // LongRoPE picks its factors per forward from the longest position: full forwards, as the reference
        const seq = [...ref.prompts[p]];
        for (let i = 0; i < n; i++) {
          const r = await session.forward([seq]);
          seq.push(argmax(r.logits, r.offset(0, seq.length - 1), r.vocab));
        }
        got.push(...seq.slice(ref.prompts[p].length));
      } else {
        let r = await session.forward([ref.prompts[p]]);
        let at = ref.prompts[p].length - 1;
        for (let i = 0; i < n; i++) {
          got.push(argmax(r.logits, r.offset(0, at), r.vocab));
          if (i < n - 1) r = await session.forward([[got[i]]], r.cache);
          at = 0;
        }
      }
      assert.equal(got, ref.greedy[p], `prompt ${p}`);
    }
  });

  test(`${name}: KV-cached steps and padded batches equal the full forward`, async () => {
    const { session, ref } = sessions.get(name)!;
    const ids = ref.prompts[2];
    const full = await session.forward([ids]);
    let step = await session.forward([ids.slice(0, 20)]);
    for (let j = 20; j < 25; j++) {
      step = await session.forward([[ids[j]]], step.cache);
      assert.ok(maxDiff(rowLogits(step, 0, 0), rowLogits(full, 0, j)) <= TOLERANCE, `step ${j}`);
    }
    step = await session.forward([ids.slice(25)], step.cache);
    for (let j = 25; j < ids.length; j++) assert.ok(maxDiff(rowLogits(step, 0, j - 25), rowLogits(full, 0, j)) <= TOLERANCE, `chunk ${j}`);
    // right padding inside the cache must not count towards a sliding window
    const short = ref.prompts[1].slice(0, 12);
    const long = ids.slice(0, 16);
    const batch = await session.forward([long, short]);
    const alone = await session.forward([short]);
    for (let j = 0; j < short.length; j++) assert.ok(maxDiff(rowLogits(batch, 1, j), rowLogits(alone, 0, j)) <= TOLERANCE, `short row ${j}`);
    const next = await session.forward([[ids[16]], [ref.prompts[1][12]]], batch.cache);
    const nextAlone = await session.forward([[ref.prompts[1][12]]], alone.cache);
    assert.ok(maxDiff(rowLogits(next, 1, 0), rowLogits(nextAlone, 0, 0)) <= TOLERANCE, 'continued short row');
    assert.ok(maxDiff(rowLogits(next, 0, 0), rowLogits(full, 0, 16)) <= TOLERANCE, 'continued long row');
  });
}

test.run();
