import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OnnxDecoderAdapter } from '../../../runners/backends/onnxruntime/onnx-adapter.js';
import { readModelFile } from '../../../runners/formats/onnx/index.js';
import { compressModel } from '../../../runners/compress/variants.js';
import { assertWrittenRecord } from './written-record.js';
import { teacherDir, tempDir } from '../fixtures.js';

const test = suite('runners/compress/flap-surgery');

const CALIB = { nSequences: 2, seqLen: 32 };

async function logitsOf(dir: string): Promise<Float32Array> {
  const a = await OnnxDecoderAdapter.load(dir);
  try {
    return (await a.session.forward([a.folder.tokenizer.encode('The capital of France is Paris. The capital of Peru is')])).logits;
  } finally {
    await a.dispose();
  }
}

test('teacher, ratio 0.25: layers keep different channel counts, matrices shrink, a bias Add per layer; packed = simulated twin', async () => {
  const dir = teacherDir('flap surgery');
  if (!dir) return;
  const root = tempDir('flap');
  const p = await compressModel(dir, { method: 'flap', params: { ratio: 0.25 }, form: 'packed' }, join(root, 'packed'), { calibration: CALIB });
  const s = await compressModel(dir, { method: 'flap', params: { ratio: 0.25 }, form: 'simulated' }, join(root, 'simulated'), { calibration: CALIB });
  const rec = p.record.flap!;
  assert.is(rec.length, 4);
  // 4 layers × 768 channels, floor(0.25 · 3072) = 768 removed in all
  assert.is(rec.reduce((a, l) => a + l.keptChannels, 0), 3072 - 768);
  assert.equal(s.record.flap!.map((l) => l.keptChannels), rec.map((l) => l.keptChannels));
  console.log(`  flap kept channels per layer: ${rec.map((l) => l.keptChannels).join(', ')}`);
  assert.ok(new Set(rec.map((l) => l.keptChannels)).size > 1, 'the structure is adaptive on the teacher');
  assert.ok(p.record.sizeBytes < p.record.baseSizeBytes, 'matrices really shrink');
  assert.is(p.record.baseParameters.total - p.record.parameters.total, 768 * 3 * 256 - 4 * 256, 'three matrices lose 768 channels × 256; four biases of 256 are added');
  const model = readModelFile(join(p.outDir, 'onnx', 'model.onnx'));
  assert.is(model.graph!.node!.filter((n) => n.op_type === 'Add' && (n.name ?? '').endsWith('/FlapBias')).length, 4);
  const down0 = model.graph!.initializer!.find((t) => t.name === 'model.layers.0.mlp.down_proj.weight')!;
  assert.equal(down0.dims!.map(Number), [rec[0].keptChannels, 256]);
  const packed = await logitsOf(p.outDir);
  const sim = await logitsOf(s.outDir);
  let gap = 0;
  for (let i = 0; i < sim.length; i++) gap = Math.max(gap, Math.abs(packed[i] - sim[i]));
  assert.ok(gap < 1e-3, `packed vs simulated ${gap}`);
  assertWrittenRecord(p.outDir, { ratio: 0.25 }, (r) => r.flap!.length * 3);
});

test.run();
