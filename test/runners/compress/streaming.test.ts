import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildCalibrationSet } from '../../../runners/compress/calibration-set.js';
import { captureActivations, captureActivationsSpilled } from '../../../runners/compress/capture.js';
import { findTargets, inlineExternalData, openSurgeryModel } from '../../../runners/compress/model-graph.js';
import { compressModel } from '../../../runners/compress/variants.js';
import { writeWithExternalData } from '../../../runners/compress/write-variant.js';
import { listInitializers, readModelFile } from '../../../runners/formats/onnx/read-model.js';
import { initializerFloat32 } from '../../../runners/formats/onnx/initializer-data.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { teacherDir, tempDir } from '../fixtures.js';

const teacher = teacherDir('streaming compression on the teacher');

if (teacher) {
  test('spilled activations: the same floats as the in-memory capture; dispose deletes the files', async () => {
    const m = openSurgeryModel(teacher);
    inlineExternalData(m);
    const folder = loadModelFolder(teacher);
    const calib = buildCalibrationSet({ nSequences: 10, seqLen: 32 }, folder.tokenizer);
    const names = [...new Set(findTargets(m.model).map((t) => t.input))].slice(0, 5);
    const inMemory = await captureActivations(m, folder.config, names, calib.sequences, 1);
    const spilled = await captureActivationsSpilled(m, folder.config, names, calib.sequences, 1);
    for (const n of [...names, names[0]]) {
      const a = inMemory.get(n)!;
      const b = spilled.get(n)!;
      assert.is(b.T, a.T, n);
      assert.is(b.K, a.K, n);
      assert.equal(b.data, a.data, n);
    }
    assert.is(spilled.get('no such tensor'), undefined);
    const dir = (spilled as unknown as { dir: string }).dir;
    assert.ok(existsSync(dir) && readdirSync(dir).length === names.length);
    spilled.dispose();
    assert.not.ok(existsSync(dir));
  });

  test('writeWithExternalData: every initializer reads back with its values', () => {
    const m = openSurgeryModel(teacher);
    inlineExternalData(m);
    const path = join(tempDir('compbench-extdata-'), 'model.onnx');
    writeWithExternalData(path, m.model);
    const back = readModelFile(path);
    const before = listInitializers(m.model);
    assert.equal(listInitializers(back).map((i) => [i.name, i.dims]), before.map((i) => [i.name, i.dims]));
    for (const i of before.filter((x) => x.dataType === 1)) {
      assert.equal(initializerFloat32(back, i.name, path), initializerFloat32(m.model, i.name, m.onnxPath, m.dir), i.name);
    }
  });

  test('gptq reports one progress line per capture segment, then one per weight, in order, each ending at ETA 0', async () => {
    const all: string[] = [];
    const out = join(tempDir('compbench-progress-'), 'v');
    const { record } = await compressModel(teacher, { method: 'gptq', params: { bits: 4, group: 64 } }, out, {
      calibration: { nSequences: 2, seqLen: 32 }, progress: (l) => all.push(l),
    });
    const capture = all.filter((l) => l.startsWith('capture: '));
    assert.ok(capture.length >= 1);
    capture.forEach((l, i) => assert.match(l, new RegExp(`^capture: segment ${i + 1}/${capture.length} \\d+\\.\\d s, ETA \\d+ s$`, 'u')));
    assert.match(capture[capture.length - 1], /ETA 0 s$/u);
    assert.equal(all.slice(0, capture.length), capture, 'the capture comes first');
    const lines = all.slice(capture.length);
    assert.is(lines.length, record.compressed.weights);
    lines.forEach((l, i) => assert.match(l, new RegExp(`^compress: ${i + 1}/${lines.length} ${record.layers[i].weight.replace(/\./gu, '\\.')} \\(K \\d+, N \\d+\\)`, 'u')));
    assert.match(lines[lines.length - 1], /ETA 0 s$/u);
  });
}

test.run();
