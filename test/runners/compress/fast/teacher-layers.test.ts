import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pruneWanda, quantizeAwq, quantizeGptq } from '../../../../kernels/index.js';
import { loadModelFolder } from '../../../../runners/model/model-folder.js';
import { buildCalibrationSet } from '../../../../runners/compress/calibration-set.js';
import { captureActivations, type Activations } from '../../../../runners/compress/capture.js';
import { quantizeAwqFast } from '../../../../runners/compress/fast/fast-awq.js';
import { quantizeGptqFast } from '../../../../runners/compress/fast/fast-gptq.js';
import { pruneWandaFast } from '../../../../runners/compress/fast/fast-wanda.js';
import { GemmEngine } from '../../../../runners/compress/fast/gemm-engine.js';
import { findTargets, inlineExternalData, openSurgeryModel, weightValues, type TargetMatMul } from '../../../../runners/compress/model-graph.js';
import { compressModel } from '../../../../runners/compress/variants.js';
import { teacherDir, tempDir } from '../../fixtures.js';
import { compareCodes } from './compare.js';

const test = suite('compress/fast on the teacher’s real layers (fast vs reference kernels)');
const teacher = teacherDir('fast kernels on the teacher');
const engine = GemmEngine.create(1);

interface Layer { readonly t: TargetMatMul; readonly W: Float32Array; readonly X: Float32Array }

/** Layer 0's q_proj (K 256) and layer 3's down_proj (K 768, past the blocked Cholesky's cut) with captured inputs. */
async function realLayers(dir: string): Promise<Layer[]> {
  const m = openSurgeryModel(dir);
  inlineExternalData(m);
  const targets = findTargets(m.model).filter((t) => /layers\.0\.self_attn\.q_proj|layers\.3\.mlp\.down_proj/u.test(t.weight));
  const folder = loadModelFolder(dir);
  const calib = buildCalibrationSet({ nSequences: 4, seqLen: 64 }, folder.tokenizer);
  const acts: Activations = await captureActivations(m, folder.config, targets.map((t) => t.input), calib.sequences, 1);
  return targets.map((t) => ({ t, W: weightValues(m, t.weight), X: acts.get(t.input)!.data }));
}

if (teacher) {
  const layers = realLayers(teacher);

  test('two real layers were captured', async () => {
    assert.equal((await layers).map((l) => l.t.K), [256, 768]);
  });

  test('gptq 4-bit act-order group 64: ≤ 0.1% of codes ±1, none further; same codes run to run', async () => {
    for (const { t, W, X } of await layers) {
      const options = { bits: 4, group: 64, actOrder: true };
      const ref = quantizeGptq(W, t.K, t.N, X, options);
      const fast = await quantizeGptqFast(engine, W, t.K, t.N, X, options);
      const c = compareCodes(W, ref, fast);
      assert.is(c.differByMore, 0, t.weight);
      assert.ok(c.differ <= 1e-3 * W.length, `${t.weight}: ${c.differ} of ${W.length} codes differ`);
      assert.ok(c.reconstruction <= 0.05, `${t.weight}: reconstruction ${c.reconstruction}`);
      assert.equal((await quantizeGptqFast(engine, W, t.K, t.N, X, options)).codes, fast.codes);
    }
  });

  test('awq 4-bit group 64 and wanda 50%: identical codes and masks', async () => {
    for (const { t, W, X } of await layers) {
      const a = await quantizeAwqFast(engine, W, t.K, t.N, X, { bits: 4, group: 64 });
      const ar = quantizeAwq(W, t.K, t.N, X, { bits: 4, group: 64 });
      assert.is(a.alpha, ar.alpha, t.weight);
      assert.equal(a.codes, ar.codes);
      assert.equal((await pruneWandaFast(engine, W, t.K, t.N, X, 0.5)).mask, pruneWanda(W, t.K, t.N, X, 0.5).mask);
    }
  });

  test('compressModel uses the fast kernels by default and says so; reference on request', async () => {
    const spec = { method: 'wanda', params: { sparsity: 0.5 } } as const;
    const calibration = { nSequences: 2, seqLen: 32 };
    const fast = await compressModel(teacher, spec, join(tempDir('fast-default'), 'v'), { calibration });
    const ref = await compressModel(teacher, spec, join(tempDir('fast-ref'), 'v'), { calibration, kernels: 'reference' });
    assert.is(fast.record.kernelImpl, 'fast');
    assert.is(ref.record.kernelImpl, 'reference');
    assert.equal(fast.record.layers.map((l) => l.sparsity), ref.record.layers.map((l) => l.sparsity));
  });
}

test.after(async () => engine.release());
test.run();
