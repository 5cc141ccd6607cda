import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildCalibrationSet } from '../../../runners/compress/calibration-set.js';
import { captureActivations } from '../../../runners/compress/capture.js';
import { captureBudgetBytes, planCaptureSegments } from '../../../runners/compress/capture-segments.js';
import { findTargets, inlineExternalData, openSurgeryModel } from '../../../runners/compress/model-graph.js';
import type { OnnxModel } from '../../../runners/formats/onnx/onnx-types.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { teacherDir } from '../fixtures.js';

const test = suite('capture segments');

const weight = (name: string, bytes: number): { name: string; raw_data: Uint8Array } => ({ name, raw_data: new Uint8Array(bytes) });

/** x → MatMul(w1) → a → Add(x) → b → MatMul(w2) → c → MatMul(w3) → d → head MatMul(w4) → logits. */
const chain: OnnxModel = {
  graph: {
    input: [{ name: 'x' }],
    output: [{ name: 'logits' }],
    initializer: [weight('w1', 100), weight('w2', 100), weight('w3', 100), weight('w4', 1000)],
    node: [
      { op_type: 'MatMul', input: ['x', 'w1'], output: ['a'] },
      { op_type: 'Add', input: ['a', 'x'], output: ['b'] },
      { op_type: 'MatMul', input: ['b', 'w2'], output: ['c'] },
      { op_type: 'MatMul', input: ['c', 'w3'], output: ['d'] },
      { op_type: 'MatMul', input: ['d', 'w4'], output: ['logits'] },
    ],
  },
};

test('segments cut where the weights pass the budget, hand on only what later segments read, and stop at the last captured tensor', () => {
  const segs = planCaptureSegments(chain, ['b', 'c'], 150);
  assert.equal(segs.map((s) => s.nodes.map((n) => n.output![0])), [['a', 'b'], ['c']]);
  assert.equal(segs[0].inputs, ['x']);
  assert.equal(segs[0].outputs, ['b']);
  assert.equal(segs[0].initializers, ['w1']);
  assert.equal(segs[1].inputs, ['b']);
  assert.equal(segs[1].outputs, ['c']);
});

test('one segment when the budget holds every needed weight; a node alone over the budget still gets one', () => {
  assert.is(planCaptureSegments(chain, ['d'], Infinity).length, 1);
  const segs = planCaptureSegments(chain, ['logits'], 50);
  assert.is(segs.length, 4);
  assert.equal(segs[3].initializers, ['w4']);
});

test('the default budget is twice the largest weight group a captured tensor feeds (at least 1 MiB)', () => {
  assert.is(captureBudgetBytes(chain, ['x']), 2 ** 20);
  assert.is(captureBudgetBytes({ graph: { ...chain.graph, initializer: [weight('w1', 2 ** 21)] } }, ['x']), 2 ** 22);
});

const teacher = teacherDir('segmented capture on the teacher');
if (teacher) {
  test('teacher: the segmented capture gives the same floats as one whole-graph segment', async () => {
    const m = openSurgeryModel(teacher);
    inlineExternalData(m);
    const folder = loadModelFolder(teacher);
    const calib = buildCalibrationSet({ nSequences: 10, seqLen: 32 }, folder.tokenizer);
    const names = [...new Set(findTargets(m.model).map((t) => t.input))];
    assert.ok(planCaptureSegments(m.model, names, captureBudgetBytes(m.model, names)).length > 2);
    const whole = await captureActivations(m, folder.config, names, calib.sequences, 1, Infinity);
    const segmented = await captureActivations(m, folder.config, names, calib.sequences, 1);
    for (const n of names) assert.equal(segmented.get(n)!.data, whole.get(n)!.data, n);
  });
}

test.run();
