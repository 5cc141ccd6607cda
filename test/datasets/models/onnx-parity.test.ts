import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';

const test = suite('datasets/models/onnx-parity');
const TOL = 1e-4;

interface Step {
  input_ids: number[][];
  attention_mask: number[][];
  position_ids: number[][];
  logits_slice: number[][][];
  argmax: number[][];
}

function int64(rows: number[][]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);
}

/** Max |ORT - torch| over the fixture's slice, and whether every argmax agrees. */
function compare(logits: ort.Tensor, step: Step, k: number): { maxAbs: number; argmaxOk: boolean } {
  const [b, s, v] = logits.dims as number[];
  const data = logits.data as Float32Array;
  let maxAbs = 0;
  let argmaxOk = true;
  for (let r = 0; r < b; r++) {
    for (let p = 0; p < s; p++) {
      const row = data.subarray((r * s + p) * v, (r * s + p + 1) * v);
      for (let j = 0; j < k; j++) maxAbs = Math.max(maxAbs, Math.abs(row[j] - step.logits_slice[r][p][j]));
      let best = 0;
      for (let j = 1; j < v; j++) if (row[j] > row[best]) best = j;
      if (best !== step.argmax[r][p]) argmaxOk = false;
    }
  }
  return { maxAbs, argmaxOk };
}

for (const name of ['teacher', 'student']) {
  test(`${name}: ORT matches torch on a left-padded prefill and a KV-cached continuation`, async () => {
    const dir = packagePath('datasets', 'models', name);
    if (!existsSync(join(dir, 'onnx', 'model.onnx'))) {
      console.log(`SKIP ${name}: datasets/models/${name}/onnx/model.onnx not exported yet`);
      return;
    }
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const fx = JSON.parse(readFileSync(join(dir, 'parity-fixture.json'), 'utf8'));
    const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'), { intraOpNumThreads: 1 });
    const layers: number = cfg.num_hidden_layers;
    const kvNames = Array.from({ length: layers }, (_, i) => [`${i}.key`, `${i}.value`]).flat();
    assert.equal(session.inputNames, ['input_ids', 'attention_mask', 'position_ids', ...kvNames.map((n) => `past_key_values.${n}`)]);
    assert.equal(session.outputNames, ['logits', ...kvNames.map((n) => `present.${n}`)]);
    const empty = new ort.Tensor('float32', new Float32Array(0), [2, cfg.num_key_value_heads, 0, cfg.head_dim]);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(fx.prefill.input_ids),
      attention_mask: int64(fx.prefill.attention_mask),
      position_ids: int64(fx.prefill.position_ids),
    };
    for (const n of kvNames) feeds[`past_key_values.${n}`] = empty;
    const out = await session.run(feeds);
    const a = compare(out.logits, fx.prefill, fx.vocab_slice);
    assert.ok(a.maxAbs < TOL, `prefill max abs diff ${a.maxAbs}`);
    assert.ok(a.argmaxOk, 'prefill argmax differs');
    const feeds2: Record<string, ort.Tensor> = {
      input_ids: int64(fx.continuation.input_ids),
      attention_mask: int64(fx.continuation.attention_mask),
      position_ids: int64(fx.continuation.position_ids),
    };
    for (const n of kvNames) feeds2[`past_key_values.${n}`] = out[`present.${n}`];
    const out2 = await session.run(feeds2);
    const c = compare(out2.logits, fx.continuation, fx.vocab_slice);
    assert.ok(c.maxAbs < TOL, `continuation max abs diff ${c.maxAbs}`);
    assert.ok(c.argmaxOk, 'continuation argmax differs');
    assert.equal(out2['present.0.key'].dims, [2, cfg.num_key_value_heads, fx.continuation.attention_mask[0].length, cfg.head_dim]);
  });
}

test.run();
