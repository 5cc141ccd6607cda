import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildMatMulStack, stackWeightCount } from '../../../runners/synth/matmul-stack.js';
import { convertStack, weightBytes, writeStackFolder, type StackFormat } from '../../../runners/synth/stack-variants.js';

/**
 * The synthetic MatMul stack: onnxruntime's output of the written file equals a plain-loop
 * forward of the layer equations in matmul-stack.ts over the same weights, and the packed
 * formats stay near it.
 */
const test = suite('runners/synth/matmul-stack');

const SHAPE = { hidden: 64, layers: 2, intermediate: 96, seed: 7 };

function weightOf(model: ReturnType<typeof buildMatMulStack>, name: string): Float32Array {
  const t = model.graph!.initializer!.find((i) => i.name === name)!;
  return new Float32Array(t.raw_data!.slice().buffer);
}

// x (h,) @ W (K,N) -> (N,)
function vecMat(x: Float64Array, W: Float32Array, K: number, N: number): Float64Array {
  const y = new Float64Array(N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) y[n] += x[k] * W[k * N + n];
  return y;
}

function referenceForward(model: ReturnType<typeof buildMatMulStack>, input: Float32Array): Float64Array {
  const { hidden: h, intermediate: I } = SHAPE;
  let x = Float64Array.from(input);
  for (let l = 0; l < SHAPE.layers; l++) {
    const w = (n: string): Float32Array => weightOf(model, `layers.${l}.${n}.weight`);
    const q = vecMat(x, w('q_proj'), h, h), k = vecMat(x, w('k_proj'), h, h), v = vecMat(x, w('v_proj'), h, h);
    const o = vecMat(q.map((qi, i) => qi + k[i] + v[i]), w('o_proj'), h, h);
    const r = x.map((xi, i) => xi + o[i]);
    const g = vecMat(r, w('gate_proj'), h, I), u = vecMat(r, w('up_proj'), h, I);
    const d = vecMat(g.map((gi, i) => (gi / (1 + Math.exp(-gi))) * u[i]), w('down_proj'), I, h);
    x = r.map((ri, i) => ri + d[i]);
  }
  return x;
}

async function ortForward(model: ReturnType<typeof buildMatMulStack>, input: Float32Array): Promise<Float32Array> {
  const dir = mkdtempSync(join(tmpdir(), 'synth-test-'));
  try {
    const session = await ort.InferenceSession.create(writeStackFolder(model, dir, {}), { intraOpNumThreads: 1 });
    const out = await session.run({ x: new ort.Tensor('float32', input, [1, SHAPE.hidden]) });
    await session.release();
    return out.y.data as Float32Array;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i] - b[i]) ** 2; den += b[i] ** 2; }
  return Math.sqrt(num / den);
}

const input = Float32Array.from({ length: SHAPE.hidden }, (_, i) => Math.sin(i + 1));
const base = buildMatMulStack(SHAPE);
const reference = referenceForward(base, input);

test('fp32 file computes the documented layer equations', async () => {
  const y = await ortForward(base, input);
  assert.ok(relError(y, reference) < 1e-5, `relative error ${relError(y, reference)}`);
  // control: a different input gives a clearly different output
  assert.ok(relError(await ortForward(base, input.map((v) => -v)), reference) > 0.1);
});

test('weight count and bytes: 4·h² + 3·h·I per layer; 4-bit packs about 8× smaller', () => {
  assert.is(stackWeightCount(SHAPE), 2 * (4 * 64 * 64 + 3 * 64 * 96));
  assert.is(weightBytes(base), 4 * stackWeightCount(SHAPE));
  const ratio = weightBytes(base) / weightBytes(convertStack(base, { kind: 'nbits', bits: 4, accuracyLevel: 0 }));
  assert.ok(ratio > 5 && ratio < 8, `fp32/nbits4 bytes ${ratio}`);
});

for (const [format, tolerance] of [[{ kind: 'nbits', bits: 8, accuracyLevel: 0 }, 0.02], [{ kind: 'nbits', bits: 4, accuracyLevel: 4 }, 0.25], [{ kind: 'w8a8' }, 0.05]] as [StackFormat, number][]) {
  test(`${JSON.stringify(format)} stays near fp32`, async () => {
    const y = await ortForward(convertStack(base, format), input);
    assert.ok(relError(y, reference) < tolerance, `relative error ${relError(y, reference)}`);
  });
}

test('same seed, same weights; base model unchanged by conversion', () => {
  assert.equal(weightOf(buildMatMulStack(SHAPE), 'layers.1.down_proj.weight'), weightOf(base, 'layers.1.down_proj.weight'));
  convertStack(base, { kind: 'w8a8' });
  assert.is(base.graph!.initializer!.length, 14);
});

test.run();
