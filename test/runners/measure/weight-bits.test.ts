import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng, randomNormalArray } from '../../../core/rng.js';
import { matMulIntegerWeights, packMatMulNBits, quantizeRtn, quantizeWeightInt8 } from '../../../kernels/index.js';
import { emitMatMulNBits, emitW8A8, replaceNode } from '../../../runners/compress/emit-ops.js';
import { floatTensor } from '../../../runners/compress/model-graph.js';
import { ggmlTypeByName, readGgufFile, writeGgufFile, GgufKind } from '../../../runners/formats/gguf/index.js';
import type { OnnxModel, OnnxNode } from '../../../runners/formats/onnx/index.js';
import { cacheElementBytes, kvBytesPer1kTokens } from '../../../runners/measure/capacity.js';
import { ggufWeightBits } from '../../../runners/measure/gguf-weight-bits.js';
import { onnxWeightBits } from '../../../runners/measure/onnx-weight-bits.js';
import { readModelFile } from '../../../runners/formats/onnx/index.js';
import { teacherDir, tempDir } from '../fixtures.js';

const test = suite('runners/measure/weight-bits');

/** Embedding Gather(E [V,K]) → MatMul W [K,N] → MatMul head H [N,V] → logits, all fp32. */
function threeWeights(V: number, K: number, N: number): { model: OnnxModel; mm: OnnxNode } {
  const rng = createRng(3);
  const mm: OnnxNode = { name: 'mm', op_type: 'MatMul', input: ['x', 'W'], output: ['h'] };
  const model: OnnxModel = {
    ir_version: 8,
    graph: {
      name: 'g',
      node: [{ name: 'emb', op_type: 'Gather', input: ['E', 'ids'], output: ['x'] }, mm, { name: 'head', op_type: 'MatMul', input: ['h', 'H'], output: ['logits'] }],
      initializer: [floatTensor('E', [V, K], randomNormalArray(rng, V * K)), floatTensor('W', [K, N], randomNormalArray(rng, K * N)), floatTensor('H', [N, V], randomNormalArray(rng, N * V))],
      output: [{ name: 'logits' }],
    },
  };
  return { model, mm };
}

test('fp32 graph: 32 bits per parameter; the Gather table and the head that writes logits are the embedding', () => {
  const { model } = threeWeights(50, 64, 16);
  const w = onnxWeightBits(model, 'onnx/model.onnx');
  assert.equal([w.parameters, w.storedBytes, w.bitsPerParameter], [50 * 64 + 64 * 16 + 16 * 50, 4 * (50 * 64 + 64 * 16 + 16 * 50), 32]);
  assert.equal(w.embedding.parameters, 50 * 64 + 16 * 50);
  assert.equal(w.body.parameters, 64 * 16);
});

test('MatMulNBits 4-bit group 32 asymmetric: 4 + 32/32 (fp32 scale) + 4/32 (packed zero point) = 5.125 bits per weight', () => {
  const [V, K, N] = [50, 64, 16];
  const { model, mm } = threeWeights(V, K, N);
  const W = randomNormalArray(createRng(9), K * N, 0.1);
  emitMatMulNBits(model, { node: mm, input: 'x', weight: 'W', K, N }, packMatMulNBits(quantizeRtn(W, K, N, { bits: 4, granularity: 32 }), 32), 4);
  model.graph!.initializer = model.graph!.initializer!.filter((t) => t.name !== 'W');
  const w = onnxWeightBits(model, 'onnx/model.onnx');
  // By hand: B = N × (K/32) blocks × 16 bytes; scales N × 2 × 4 bytes; zero points N × ceil(2 × 4 / 8) bytes.
  const bytes = N * 2 * 16 + N * 2 * 4 + N * 1;
  assert.is(w.body.parameters, K * N);
  assert.is(w.body.storedBytes, bytes);
  assert.is(w.body.bitsPerParameter, 5.125);
  assert.is(w.embedding.bitsPerParameter, 32, 'embedding and head stay fp32');
});

test('W8A8: the int8 matrix is the parameters; its zero point and per-column scale are stored bytes without parameters', () => {
  const [V, K, N] = [50, 64, 16];
  const { model, mm } = threeWeights(V, K, N);
  const W = randomNormalArray(createRng(4), K * N, 0.1);
  const { weightInt8, weightScales } = quantizeWeightInt8(W, K, N, 'channel');
  const { nodes } = emitW8A8(model, { node: mm, input: 'x', weight: 'W', K, N }, matMulIntegerWeights({ K, N, weightInt8, weightScales, weightZeroPoints: new Int8Array(N) }), { form: 'u8s8', reason: 'test' });
  replaceNode(model, mm, nodes);
  model.graph!.initializer = model.graph!.initializer!.filter((t) => t.name !== 'W');
  const w = onnxWeightBits(model, 'onnx/model.onnx');
  assert.is(w.body.parameters, K * N);
  // K×N int8 codes + N int8 zero points + N fp32 scales.
  assert.is(w.body.storedBytes, K * N + N + 4 * N);
  assert.is(w.body.bitsPerParameter, (8 * (K * N + 5 * N)) / (K * N));
});

test('the bundled teacher: parameters from config.json by hand, 32 bits each', () => {
  const dir = teacherDir('weight bits');
  if (!dir) return;
  const w = onnxWeightBits(readModelFile(join(dir, 'onnx', 'model.onnx')), 'onnx/model.onnx');
  // vocab 2048, hidden 256, intermediate 768, 4 layers, 8 kv heads × 32 = hidden, untied head.
  const [V, H, I, L] = [2048, 256, 768, 4];
  const perLayer = 4 * H * H + 3 * H * I + 2 * H;
  assert.is(w.embedding.parameters, 2 * V * H);
  assert.is(w.body.parameters, L * perLayer + H);
  assert.is(w.bitsPerParameter, 32);
});

test('GGUF: bits per parameter from the ggml block sizes (Q8_0: 34 bytes per 32 = 8.5; Q4_0: 18 per 32 = 4.5)', () => {
  const file = join(tempDir('gguf-bits'), 'm.gguf');
  const q = (name: string, type: string, dims: number[]) => {
    const t = ggmlTypeByName(type)!;
    return { name, type: t, dims, data: new Uint8Array((dims.reduce((a, b) => a * b, 1) / t.blockSize) * t.typeSize) };
  };
  writeGgufFile(file, new Map([['general.architecture', { kind: GgufKind.STRING, value: 'llama' }]]), [
    q('token_embd.weight', 'Q8_0', [64, 10]),
    q('blk.0.attn_q.weight', 'Q4_0', [64, 64]),
    q('blk.0.attn_norm.weight', 'F32', [64]),
  ]);
  const w = ggufWeightBits(readGgufFile(file), 'm.gguf');
  assert.is(w.embedding.bitsPerParameter, 8.5);
  assert.is(w.body.parameters, 64 * 64 + 64);
  assert.is(w.body.storedBytes, (64 * 64 / 32) * 18 + 64 * 4);
});

test('KV bytes per 1,000 tokens: teacher shape (4 layers × 8 kv heads × 32) by hand at fp32, F16, Q8_0 and mixed', () => {
  const shape = { numLayers: 4, numKvHeads: 8, headDim: 32 };
  assert.is(kvBytesPer1kTokens(shape, 'fp32', 'fp32'), 4 * 8 * 32 * 2 * 4 * 1000);
  assert.is(kvBytesPer1kTokens(shape, 'F32', 'F32'), 8_192_000);
  assert.is(kvBytesPer1kTokens(shape, 'F16', 'F16'), 4_096_000);
  assert.is(kvBytesPer1kTokens(shape, 'Q8_0', 'Q8_0'), 4 * 8 * 32 * 2 * (34 / 32) * 1000);
  assert.is(kvBytesPer1kTokens(shape, 'F16', 'Q4_0'), 4 * 8 * 32 * (2 + 18 / 32) * 1000);
  assert.throws(() => cacheElementBytes('q3_x'), /unknown KV cache type/);
});

test.run();
