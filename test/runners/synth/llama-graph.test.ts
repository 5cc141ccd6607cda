import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DecoderSession, type ForwardResult } from '../../../runners/backends/onnxruntime/decoder-session.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { OnnxDecoderAdapter } from '../../../runners/backends/onnxruntime/onnx-adapter.js';
import { buildSynthLlama } from '../../../runners/synth/llama-graph.js';
import { llamaWeightCount, type LlamaShape } from '../../../runners/synth/llama-shape.js';
import { writeSynthLlamaFolder } from '../../../runners/synth/synth-folder.js';
import { referenceLogits } from './reference-llama.js';

/**
 * The synthetic Llama is a real Llama: onnxruntime's logits of the written folder equal a
 * naive float64 forward pass over the same initializers (reference-llama.ts), the KV cache
 * reproduces the full forward, and padding changes nothing. Grouped-query attention
 * (4 query heads on 2 KV heads) is on, so the head grouping is checked too.
 */
const test = suite('runners/synth/llama-graph');

const SHAPE: LlamaShape = { hidden: 64, layers: 2, intermediate: 96, heads: 4, kvHeads: 2, vocab: 2048, maxPositions: 64, seed: 11 };
const IDS = [1, 17, 300, 2047, 5, 900, 42, 7];
const model = buildSynthLlama(SHAPE);
const dir = mkdtempSync(join(tmpdir(), 'synth-llama-test-'));
writeSynthLlamaFolder(model, dir, SHAPE, { format: 'fp32' });
let session: DecoderSession;

test.before(async () => {
  session = await DecoderSession.create(loadModelFolder(dir));
});

test.after(async () => {
  await session.release();
  rmSync(dir, { recursive: true, force: true });
});

/** Logits (V,) after the j-th real token of `row`. */
function logitsAt(r: ForwardResult, row: number, j: number): Float32Array {
  const at = r.offset(row, j);
  return r.logits.subarray(at, at + r.vocab);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('loads through OnnxDecoderAdapter and generates / scores', async () => {
  const adapter = await OnnxDecoderAdapter.load(dir);
  try {
    assert.equal(adapter.folder.config, { ...adapter.folder.config, modelType: 'llama', numLayers: 2, numKvHeads: 2, headDim: 16, vocabSize: 2048, maxPositions: 64 });
    assert.ok(adapter.session.hasKvCache);
    const [g] = await adapter.generate([{ prompt: 'Once upon a time', options: { maxNewTokens: 6, stop: [] } }]);
    assert.ok(g.generatedIds.length >= 1 && g.generatedIds.length <= 6);
    const scores = await adapter.loglikelihood([{ context: 'Once upon a time', continuation: ' there was' }, { context: '', continuation: 'The cat' }]);
    for (const s of scores) assert.ok(Number.isFinite(s.logprob) && s.logprob < 0 && s.tokenCount > 0, JSON.stringify(s));
  } finally {
    await adapter.dispose();
  }
});

test('logits equal a naive float64 Llama forward pass (max abs diff ≤ 1e-4)', async () => {
  const ort = await session.forward([IDS]);
  const ref = referenceLogits(model, SHAPE, IDS);
  let scale = 0;
  for (let j = 0; j < IDS.length; j++) {
    const got = logitsAt(ort, 0, j);
    assert.ok(maxAbsDiff(got, ref[j]) <= 1e-4, `position ${j}: max abs diff ${maxAbsDiff(got, ref[j])}`);
    scale = Math.max(scale, maxAbsDiff(got, new Float64Array(got.length)));
  }
  // control: the logits are O(1), so 1e-4 is a real bound; another seed's weights give other logits
  assert.ok(scale > 1, `largest |logit| ${scale}`);
  const other = referenceLogits(buildSynthLlama({ ...SHAPE, seed: 12 }), SHAPE, IDS);
  assert.ok(maxAbsDiff(logitsAt(ort, 0, 7), other[7]) > 0.5);
});

test('KV-cached steps equal the full forward (≤ 1e-4)', async () => {
  const full = await session.forward([IDS]);
  let step = await session.forward([IDS.slice(0, 3)]);
  for (let j = 0; j < 3; j++) assert.ok(maxAbsDiff(logitsAt(step, 0, j), logitsAt(full, 0, j)) <= 1e-4);
  for (let j = 3; j < 6; j++) {
    step = await session.forward([[IDS[j]]], step.cache);
    assert.ok(maxAbsDiff(logitsAt(step, 0, 0), logitsAt(full, 0, j)) <= 1e-4, `step ${j}`);
  }
  // two new tokens in one cached call
  step = await session.forward([IDS.slice(6, 8)], step.cache);
  for (let j = 0; j < 2; j++) assert.ok(maxAbsDiff(logitsAt(step, 0, j), logitsAt(full, 0, 6 + j)) <= 1e-4, `chunk ${j}`);
});

test('a padded batch equals its rows run alone, with and without the cache', async () => {
  const short = [1, 250, 9];
  const batch = await session.forward([IDS, short]);
  const alone = await session.forward([short]);
  const longAlone = await session.forward([IDS]);
  for (let j = 0; j < short.length; j++) assert.ok(maxAbsDiff(logitsAt(batch, 1, j), logitsAt(alone, 0, j)) <= 1e-4, `short row ${j}`);
  for (let j = 0; j < IDS.length; j++) assert.ok(maxAbsDiff(logitsAt(batch, 0, j), logitsAt(longAlone, 0, j)) <= 1e-4, `long row ${j}`);
  // continuing the padded batch: row 1's cache has 5 padding columns after its tokens
  const next = await session.forward([[33], [44, 55]], batch.cache);
  const shortNext = await session.forward([[44, 55]], alone.cache);
  const longNext = await session.forward([[33]], longAlone.cache);
  for (let j = 0; j < 2; j++) assert.ok(maxAbsDiff(logitsAt(next, 1, j), logitsAt(shortNext, 0, j)) <= 1e-4, `short continuation ${j}`);
  assert.ok(maxAbsDiff(logitsAt(next, 0, 0), logitsAt(longNext, 0, 0)) <= 1e-4);
  for (const x of next.logits) assert.ok(Number.isFinite(x));
});

test('weights: seeded, and as many fp32 elements as llamaWeightCount', () => {
  const again = buildSynthLlama(SHAPE).graph!.initializer!;
  const first = model.graph!.initializer!;
  assert.equal(again.map((t) => t.raw_data), first.map((t) => t.raw_data));
  const elements = first.filter((t) => t.data_type === 1 && !t.name!.startsWith('rope.') && (t.dims ?? []).length > 0).reduce((n, t) => n + t.raw_data!.byteLength / 4, 0);
  assert.is(elements, llamaWeightCount(SHAPE));
  // (2·64·64 + 2·64·32 + 3·64·96 + 2·64) per layer, 2·2048·64 + 64 outside
  assert.is(llamaWeightCount(SHAPE), 2 * (8192 + 4096 + 18432 + 128) + 262144 + 64);
});

test.run();
