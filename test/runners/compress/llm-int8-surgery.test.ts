import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OnnxDecoderAdapter } from '../../../runners/backends/onnxruntime/onnx-adapter.js';
import { readModelFile } from '../../../runners/formats/onnx/index.js';
import { selfCheckVariant } from '../../../runners/compress/self-check.js';
import { compressModel } from '../../../runners/compress/variants.js';
import { assertWrittenRecord } from './written-record.js';
import { teacherDir, tempDir } from '../fixtures.js';

const test = suite('runners/compress/llm-int8-surgery');

const CALIB = { nSequences: 2, seqLen: 32 };

async function logitsOf(dir: string): Promise<Float32Array> {
  const a = await OnnxDecoderAdapter.load(dir);
  try {
    return (await a.session.forward([a.folder.tokenizer.encode('The capital of France is Paris. The capital of Peru is')])).logits;
  } finally {
    await a.dispose();
  }
}

test('teacher, threshold 2: outlier features run as an fp32 MatMul beside MatMulNBits 8-bit; packed (level 0) = simulated twin; self-check passes', async () => {
  const dir = teacherDir('llm-int8 surgery');
  if (!dir) return;
  const root = tempDir('llm-int8');
  const spec = { method: 'llm-int8', params: { threshold: 2 }, accuracyLevel: 0 } as const;
  const p = await compressModel(dir, { ...spec, form: 'packed' }, join(root, 'packed'), { calibration: CALIB });
  const s = await compressModel(dir, { ...spec, form: 'simulated' }, join(root, 'simulated'), { calibration: CALIB });
  const rec = p.record.llmInt8!;
  assert.is(rec.threshold, 2);
  assert.is(rec.layers.length, 28);
  const withOutliers = rec.layers.filter((l) => l.outliers > 0);
  assert.ok(withOutliers.length > 0, 'threshold 2 finds outlier features on the teacher');
  for (const l of rec.layers) assert.is(l.outlierFeatures.length, l.outliers);
  assert.equal(p.record.execution.ops, [{ op: 'com.microsoft.MatMulNBits', bits: 8, block_size: 128, accuracy_level: 0, zero_points: false }]);
  assert.equal(s.record.execution.ops, []);
  // one Gather + fp32 MatMul + Add per weight with outliers, whose index lists the recorded features
  const model = readModelFile(join(p.outDir, 'onnx', 'model.onnx'));
  const nodes = model.graph!.node!;
  assert.is(nodes.filter((n) => n.op_type === 'MatMulNBits').length, 28);
  assert.is(nodes.filter((n) => (n.name ?? '').endsWith('/OutlierFeatures') && n.op_type === 'Gather').length, withOutliers.length);
  assert.is(nodes.filter((n) => (n.name ?? '').endsWith('/Sum') && n.op_type === 'Add').length, withOutliers.length);
  const idx = model.graph!.initializer!.find((t) => t.name === `${withOutliers[0].weight}.llm_int8.outlier_index`)!;
  assert.is(Number(idx.dims![0]), withOutliers[0].outliers);
  const packed = await logitsOf(p.outDir);
  const sim = await logitsOf(s.outDir);
  let gap = 0;
  for (let i = 0; i < sim.length; i++) gap = Math.max(gap, Math.abs(packed[i] - sim[i]));
  console.log(`  llm-int8 threshold 2: ${withOutliers.length}/28 weights with outliers; packed vs simulated max |Δ logit| ${gap.toExponential(2)}`);
  assert.ok(gap < 1e-3, `packed vs simulated ${gap}`);
  const check = await selfCheckVariant(p.outDir, { threads: 1, reuse: false });
  assert.is(check?.state, 'passed');
});

test('the default threshold 6 records outlier counts per weight and its simulated note says activations are not rounded', async () => {
  const dir = teacherDir('llm-int8 default');
  if (!dir) return;
  const s = await compressModel(dir, { method: 'llm-int8', form: 'simulated' }, join(tempDir('llm-int8-6'), 'v'), { calibration: CALIB });
  assert.is(s.record.params.threshold, 6);
  assert.is(s.record.llmInt8!.layers.length, 28);
  for (const l of s.record.llmInt8!.layers) assert.ok(l.activationOutputError >= 0 && l.activationOutputError < 0.1, JSON.stringify({ ...l, outlierFeatures: undefined }));
  assert.match(s.record.execution.note, /activations not rounded/);
  assertWrittenRecord(s.outDir, { threshold: 6 }, (r) => r.llmInt8!.layers.length);
});

test.run();
