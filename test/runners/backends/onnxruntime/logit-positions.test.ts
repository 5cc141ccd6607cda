/**
 * Logits only where scored (issue 15 item 1): a session whose graph gathers the scored
 * positions before the LM head must give the same numbers as the full graph, for
 * loglikelihood (both paths), rolling (strided windows: only the tail is scored), greedy
 * generation and the agreement observer's logit rows. Measured with onnxruntime-node 1.30
 * CPU: bit-identical on the teacher, stories260k and a MatMulNBits 4-bit (head included)
 * variant at accuracy_level 0 — the head's GEMM computes each row the same whatever the
 * number of rows — so the comparison is exact, not within a tolerance.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../../core/paths.js';
import type { LoglikelihoodRequest, TokenObserver } from '../../../../core/requests.js';
import { OnnxDecoderAdapter } from '../../../../runners/backends/onnxruntime/onnx-adapter.js';
import { compressModel } from '../../../../runners/compress/variants.js';
import { readModelFile } from '../../../../runners/formats/onnx/read-model.js';
import { addLogitPositions, logitPositionsBlocker } from '../../../../runners/graph/logit-positions.js';
import { DecoderSession } from '../../../../runners/backends/onnxruntime/decoder-session.js';
import { loadModelFolder } from '../../../../runners/model/model-folder.js';
import { buildSynthLlama } from '../../../../runners/synth/llama-graph.js';
import { convertModel, formatLabel, SYNTH_FORMATS } from '../../../../runners/synth/model-formats.js';
import { writeSynthLlamaFolder } from '../../../../runners/synth/synth-folder.js';
import { teacherDir, tempDir } from '../../fixtures.js';

const test = suite('runners/onnxruntime (logits only where scored)');

const STORY = 'Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her dog. One day, she saw a big red ball.';

function requests(): LoglikelihoodRequest[] {
  const words = STORY.split(' ');
  const out: LoglikelihoodRequest[] = [];
  for (let q = 0; q < 5; q++) {
    const context = words.slice(0, 2 + q * 4).join(' ');
    for (let o = 0; o < 3; o++) out.push({ context, continuation: ' ' + words.slice(3 + o * 2, 4 + o * 3 + q).join(' ') });
  }
  out.push({ context: '', continuation: 'Once upon a time' });
  return out;
}

/** Every observed row, keyed by request and position, copied out. */
function recorder(rows: Map<string, Float32Array>): TokenObserver {
  return (req, pos, target, logits, offset, vocab) => rows.set(`${req}:${pos}:${target}`, logits.slice(offset, offset + vocab));
}

interface Outputs {
  readonly selects: boolean;
  readonly results: unknown[];
  readonly rows: Map<string, Float32Array>;
}

async function outputs(dir: string, selectLogits: boolean): Promise<Outputs> {
  const rows = new Map<string, Float32Array>();
  const results: unknown[] = [];
  let selects = false;
  for (const path of ['shared-prefix', 'full-forward'] as const) {
    // maxLength 24, stride 8: rolling windows whose scored tail is shorter than the window
    // logSumExp false: the log-softmax stays in JavaScript on both sides (logit-lse.test.ts checks the graph's)
    const a = await OnnxDecoderAdapter.load(dir, { selectLogits, logSumExp: false, loglikelihoodPath: path, maxLength: 24, rollingStride: 8 });
    try {
      results.push(await a.loglikelihood(requests(), recorder(rows)));
      if (path === 'full-forward') continue; // rolling and generate do not depend on the loglikelihood path
      results.push(await a.rolling([{ text: STORY }, { text: 'Lily ran.' }], recorder(rows)));
      results.push(await a.generate([{ prompt: 'Once upon a time', options: { maxNewTokens: 12, stop: [] } }, { prompt: 'Lily saw', options: { maxNewTokens: 6, stop: [] } }]));
      selects = a.session.selectsLogits;
    } finally {
      await a.dispose();
    }
  }
  return { selects, results, rows };
}

async function assertSame(dir: string, what: string, gather = true): Promise<void> {
  const full = await outputs(dir, false);
  const kept = await outputs(dir, true);
  assert.is(full.selects, false, `${what}: the reference session has no gather`);
  assert.is(kept.selects, gather, `${what}: the gather was ${gather ? '' : 'not '}added`);
  assert.equal(kept.results, full.results, `${what}: scores and generations`);
  assert.equal([...kept.rows.keys()], [...full.rows.keys()], `${what}: observed positions`);
  for (const [key, row] of full.rows) assert.ok(Buffer.from(row.buffer).equals(Buffer.from(kept.rows.get(key)!.buffer)), `${what}: logit row ${key} differs`);
}

test('teacher: gathered logits equal the full graph bit for bit', async () => {
  const dir = teacherDir('logit positions (teacher)');
  if (dir) await assertSame(dir, 'teacher');
});

const stories = packagePath('datasets', 'models', 'stories260k');

test('stories260k: gathered logits equal the full graph bit for bit', async () => {
  if (!existsSync(join(stories, 'onnx', 'model.onnx'))) return console.log('SKIP logit positions (stories260k): datasets/models/stories260k absent');
  await assertSame(stories, 'stories260k');
});

test('stories260k MatMulNBits 4-bit (head included), accuracy_level 0: bit for bit', async () => {
  if (!existsSync(join(stories, 'onnx', 'model.onnx'))) return console.log('SKIP logit positions (rtn4): datasets/models/stories260k absent');
  const out = join(tempDir('rtn4'), 'v');
  const { outDir } = await compressModel(stories, { method: 'rtn', params: { bits: 4 }, accuracyLevel: 0, includeHead: true, form: 'packed' }, out);
  const ops = new Set((readModelFile(join(outDir, 'onnx', 'model.onnx')).graph?.node ?? []).filter((n) => (n.output ?? []).includes('logits')).map((n) => n.op_type));
  assert.equal([...ops], ['MatMulNBits'], 'the LM head is packed');
  await assertSame(outDir, 'rtn4');
});

test('surgery applies once, leaves other heads alone; unkept positions cannot be read', async () => {
  if (!existsSync(join(stories, 'onnx', 'model.onnx'))) return console.log('SKIP logit positions (surgery): datasets/models/stories260k absent');
  const model = readModelFile(join(stories, 'onnx', 'model.onnx'));
  assert.is(addLogitPositions(model), true);
  assert.match(logitPositionsBlocker(model) ?? '', /already has 'logits_positions'/);
  assert.is(addLogitPositions(model), false);
  const other = readModelFile(join(stories, 'onnx', 'model.onnx'));
  other.graph!.node!.find((n) => n.output!.includes('logits'))!.op_type = 'Gemm';
  assert.match(logitPositionsBlocker(other) ?? '', /not made by a MatMul/);
  const session = await DecoderSession.create(loadModelFolder(stories));
  try {
    const out = await session.forward([[1, 400, 32, 5], [1, 7]], undefined, undefined, { logitsAt: [[1, 3], [1]] });
    assert.is(out.logits.length, 2 * 2 * out.vocab, '(B, K=2, V)');
    assert.is(out.offset(1, 1), 2 * out.vocab);
    assert.throws(() => out.offset(0, 2), /position 2 of row 0 was not among the kept/);
  } finally {
    await session.release();
  }
});

// Synthetic folders keep their weights in model.onnx.data: the edited graph is loaded from
// memory and must still find them. MatMulNBits at accuracy_level 4 quantizes activations
// per block of a row, so it too is exact. A synth W8A8 head is quantized per tensor
// (MatMulInteger): its logits would depend on which rows are kept, so no gather is added.
const SHAPE = { hidden: 64, layers: 2, intermediate: 128, heads: 2, kvHeads: 2, vocab: 2048, maxPositions: 64, seed: 5 };
for (const format of SYNTH_FORMATS.filter((f) => ['fp32', 'nbits4-acc0', 'nbits4-acc4', 'w8a8'].includes(formatLabel(f)))) {
  test(`synth ${formatLabel(format)} (external data): gathered logits equal the full graph bit for bit`, async () => {
    const dir = tempDir('synth');
    writeSynthLlamaFolder(convertModel(buildSynthLlama(SHAPE), format), dir, SHAPE, { format: formatLabel(format) });
    await assertSame(dir, `synth ${formatLabel(format)}`, format.kind !== 'w8a8');
  });
}

test.run();
