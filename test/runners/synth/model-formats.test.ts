import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DecoderSession } from '../../../runners/backends/onnxruntime/decoder-session.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { buildSynthLlama } from '../../../runners/synth/llama-graph.js';
import type { LlamaShape } from '../../../runners/synth/llama-shape.js';
import { convertModel, formatLabel, SYNTH_FORMATS, weightBytes, withAccuracyLevel, type SynthFormat } from '../../../runners/synth/model-formats.js';
import { writeSynthLlamaFolder } from '../../../runners/synth/synth-folder.js';

/**
 * The packed formats of the synthetic Llama run in onnxruntime and stay near fp32, each by
 * the error its bit width predicts; the fp32 weights they were made from are not changed.
 */
const test = suite('runners/synth/model-formats');

const SHAPE: LlamaShape = { hidden: 128, layers: 2, intermediate: 256, heads: 4, kvHeads: 4, vocab: 2048, maxPositions: 64, seed: 3 };
const IDS = [1, 17, 300, 2047, 5, 900, 42, 7, 1000, 64, 3, 512];
const base = buildSynthLlama(SHAPE);
const baseBytes = base.graph!.initializer!.map((t) => t.raw_data!.slice());

async function logitsOf(format: SynthFormat): Promise<Float32Array> {
  const dir = mkdtempSync(join(tmpdir(), 'synth-format-test-'));
  try {
    writeSynthLlamaFolder(convertModel(base, format), dir, SHAPE, { format: formatLabel(format) });
    const session = await DecoderSession.create(loadModelFolder(dir));
    const { logits } = await session.forward([IDS]);
    await session.release();
    return logits;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ‖a − b‖ / ‖b‖ over all logits. */
function relError(a: Float32Array, b: Float32Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i] - b[i]) ** 2; den += b[i] ** 2; }
  return Math.sqrt(num / den);
}

const errors = new Map<string, number>();

test.before(async () => {
  const fp32 = await logitsOf({ kind: 'fp32' });
  for (const f of SYNTH_FORMATS) errors.set(formatLabel(f), relError(await logitsOf(f), fp32));
  console.log(`  relative logit error vs fp32: ${[...errors].map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
});

// Bounds: RTN asymmetric over a block of 32 Gaussian weights spans about ±2σ, so one
// quantization step is ~4σ/(2^b − 1) and the rounding error ~step/√12: ≈0.005σ at 8 bits,
// 0.08σ at 4, 0.4σ at 2. Through 2 layers and the head the logits' relative error grows to
// about twice that (onnxruntime 1.30, this shape: nbits8 0.010 / 0.016 at accuracy_level
// 0 / 4, nbits4 0.16, nbits2 0.78, w8a8 0.026); the bounds leave ~1.5× margin. A wrong
// packing or scale gives errors near 1.
test('nbits8 ≤ 0.03, nbits4 ≤ 0.25 of the fp32 logits; nbits2 is worse than nbits4', () => {
  for (const acc of [0, 4]) {
    assert.ok(errors.get(`nbits8-acc${acc}`)! <= 0.03, `nbits8-acc${acc}: ${errors.get(`nbits8-acc${acc}`)}`);
    assert.ok(errors.get(`nbits4-acc${acc}`)! <= 0.25, `nbits4-acc${acc}: ${errors.get(`nbits4-acc${acc}`)}`);
    assert.ok(errors.get(`nbits2-acc${acc}`)! > 2 * errors.get(`nbits4-acc${acc}`)!);
    assert.ok(errors.get(`nbits2-acc${acc}`)! < 1.2);
  }
  // int8 weights per column and int8 dynamic activations: about the 8-bit error
  assert.ok(errors.get('w8a8')! <= 0.05, `w8a8: ${errors.get('w8a8')}`);
  assert.is(errors.get('fp32'), 0);
});

test('conversions leave the fp32 weights untouched; packed bytes shrink with the bits', () => {
  base.graph!.initializer!.forEach((t, i) => assert.ok(Buffer.from(t.raw_data!).equals(Buffer.from(baseBytes[i])), t.name));
  const bytes = (f: SynthFormat): number => weightBytes(convertModel(base, f));
  const embedding = 4 * SHAPE.vocab * SHAPE.hidden;
  const fp32 = bytes({ kind: 'fp32' }) - embedding;
  const n4 = bytes({ kind: 'nbits', bits: 4, accuracyLevel: 0 }) - embedding;
  // per 32 weights: 16 B of 4-bit codes + a 4 B fp32 scale + a 4-bit zero point = 20.5 B vs 128 B -> 6.2×
  assert.ok(fp32 / n4 > 5 && fp32 / n4 < 7, `fp32/nbits4 ${fp32 / n4}`);
  const n4acc4 = withAccuracyLevel(convertModel(base, { kind: 'nbits', bits: 4, accuracyLevel: 0 }), 4);
  const levels = n4acc4.graph!.node!.filter((n) => n.op_type === 'MatMulNBits').map((n) => n.attribute!.find((a) => a.name === 'accuracy_level')!.i);
  assert.is(levels.length, SHAPE.layers * 7 + 1); // 7 projections per layer + lm_head
  assert.ok(levels.every((l) => l === 4));
});

test.run();
