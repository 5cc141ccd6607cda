import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng, randomNormalArray } from '../../../core/rng.js';
import {
  dequantizeMatMulNBits, matMulIntegerReference, matMulIntegerWeights, packMatMulNBits, quantizeRtn, quantizeWeightInt8,
} from '../../../kernels/index.js';
import { chooseInt8Form } from '../../../runners/compress/int8-form.js';
import { emitMatMulNBits, emitW8A8, replaceNode } from '../../../runners/compress/emit-ops.js';
import { floatTensor, type TargetMatMul } from '../../../runners/compress/model-graph.js';
import type { OnnxModel, OnnxNode } from '../../../runners/formats/onnx/onnx-types.js';
import { encodeModel } from '../../../runners/formats/onnx/read-model.js';

const test = suite('runners/compress/emit-ops');

/** A one-MatMul model Y = X @ W with X float [T,K]. */
function oneMatMul(K: number, N: number, T: number, W: Float32Array): { model: OnnxModel; target: TargetMatMul } {
  const vi = (name: string, dims: number[]) => ({ name, type: { tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => ({ dim_value: d })) } } } });
  const node: OnnxNode = { name: 'mm', op_type: 'MatMul', input: ['X', 'W'], output: ['Y'] };
  const model: OnnxModel = {
    ir_version: 8, opset_import: [{ domain: '', version: 14 }], producer_name: 'compbench-test',
    graph: { name: 'one', node: [node], initializer: [floatTensor('W', [K, N], W)], input: [vi('X', [T, K])], output: [vi('Y', [T, N])] },
  };
  return { model, target: { node, input: 'X', weight: 'W', K, N } };
}

async function runOrt(model: OnnxModel, X: Float32Array, T: number, K: number): Promise<Float32Array> {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-emit-'));
  try {
    const path = join(dir, 'm.onnx');
    writeFileSync(path, encodeModel(model));
    const s = await ort.InferenceSession.create(path, { intraOpNumThreads: 1 });
    try {
      const out = await s.run({ X: new ort.Tensor('float32', X, [T, K]) });
      return out.Y.data as Float32Array;
    } finally {
      await s.release();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function matmulRef(X: Float32Array, T: number, K: number, W: Float32Array, N: number): Float64Array {
  const Y = new Float64Array(T * N);
  for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) Y[t * N + n] += X[t * K + k] * W[k * N + n];
  return Y;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    d = Math.max(d, Math.abs(a[i] - b[i]));
  }
  return d / scale;
}

type Case = readonly [bits: number, K: number, group: number | 'channel', level: number, grid?: 'asym' | 'full' | 'narrow'];
// K = 172 (stories260k's down_proj) with groups 16/32/64: the last group holds 12, 12 and 44 rows;
// group 256 > K: one partial group (and one padded block of 256) per column.
const CASES: readonly Case[] = [
  [4, 64, 32, 0], [4, 172, 'channel', 0], [2, 64, 16, 0], [8, 128, 64, 0], [4, 64, 32, 4], [2, 64, 32, 4], [8, 64, 32, 4],
  [4, 172, 32, 0], [4, 172, 64, 0], [2, 172, 32, 0], [8, 172, 16, 0], [4, 172, 32, 0, 'full'], [4, 172, 32, 0, 'narrow'],
  [2, 172, 64, 0, 'narrow'], [4, 172, 32, 4], [4, 172, 64, 4, 'narrow'], [4, 172, 256, 0], [4, 172, 256, 4],
];

for (const [bits, K, group, level, grid = 'asym'] of CASES) {
  test(`MatMulNBits ${bits}-bit K=${K} group=${group} ${grid} accuracy_level ${level} = X @ dequant(W)`, async () => {
    const rng = createRng(7);
    const N = 24;
    const T = 5;
    const W = randomNormalArray(rng, K * N, 0.1);
    const X = randomNormalArray(rng, T * K);
    const q = quantizeRtn(W, K, N, { bits, symmetric: grid !== 'asym', symGrid: grid === 'narrow' ? 'narrow' : 'full', granularity: group === 'channel' ? 'channel' : group });
    const blockSize = group === 'channel' ? Math.min(128, 2 ** Math.ceil(Math.log2(K))) : group;
    const packed = packMatMulNBits(q, blockSize);
    assert.is(packed.zeroPoints === undefined, grid !== 'asym', 'symmetric grids use the default zero point 2^(bits−1)');
    const { model, target } = oneMatMul(K, N, T, W);
    emitMatMulNBits(model, target, packed, level);
    model.graph!.initializer = model.graph!.initializer!.filter((t) => t.name !== 'W');
    const Y = await runOrt(model, X, T, K);
    // The packed weight is the kernel's Ŵ exactly, partial last group and narrow grid included.
    assert.equal([...dequantizeMatMulNBits(packed)], [...q.dequantized]);
    const d = maxRelDiff(Y, matmulRef(X, T, K, q.dequantized, N));
    // Measured (onnxruntime-node 1.30, CPU): level 0 ≤ 5e-7; level 4 (int8 activations) ≈ 5e-3.
    assert.ok(d < (level === 0 ? 1e-5 : 2e-2), `max |diff| / max |Y| = ${d}`);
    if (level === 4) assert.ok(d > 1e-5, 'level 4 really quantizes the activations');
  });
}

test('onnxruntime refuses 3-bit MatMulNBits (why 3-bit variants are simulated)', async () => {
  const [K, N, T] = [64, 8, 2];
  const W = randomNormalArray(createRng(5), K * N, 0.1);
  const { model, target } = oneMatMul(K, N, T, W);
  emitMatMulNBits(model, target, packMatMulNBits(quantizeRtn(W, K, N, { bits: 3, granularity: 32 }), 32), 0);
  try {
    await runOrt(model, new Float32Array(T * K), T, K);
    assert.unreachable('3-bit MatMulNBits ran; NBITS_RUNNABLE in runners/compress/spec.ts can include 3');
  } catch (e) {
    assert.match(String(e), /Only 2b, 4b and 8b/);
  }
});

for (const form of ['u8u8', 'u8s8'] as const) {
  test(`W8A8 chain (${form}) = DynamicQuantizeLinear + exact int32 products (kernels/pack-integer reference)`, async () => {
    const choice = chooseInt8Form();
    if (form === 'u8s8' && choice.form !== 'u8s8') {
      console.log(`  skip: u8s8 is not exact on this CPU (${choice.reason})`);
      return;
    }
    const rng = createRng(11);
    const [K, N, T] = [256, 20, 6];
    // Non-negative activations (codes up to 255) and uniform weights (codes up to ±127): many pairs of
    // u8·s8 products exceed int16, where a saturating kernel clips them.
    const W = Float32Array.from({ length: K * N }, () => rng.next() * 2 - 1);
    const X = Float32Array.from({ length: T * K }, () => rng.next());
    const { weightInt8, weightScales } = quantizeWeightInt8(W, K, N, 'channel');
    const w = matMulIntegerWeights({ K, N, weightInt8, weightScales, weightZeroPoints: new Int8Array(N) });
    const { model, target } = oneMatMul(K, N, T, W);
    const { nodes, record } = emitW8A8(model, target, w, { form, reason: 'test' });
    replaceNode(model, target.node, nodes);
    assert.is(record.operands, form);
    const Y = await runOrt(model, X, T, K);
    const d = maxRelDiff(Y, matMulIntegerReference(X, T, w));
    assert.ok(d < 1e-6, `max |diff| / max |Y| = ${d}`);
  });
}

test.run();
