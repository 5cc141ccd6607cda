import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../core/paths.js';
import { DecoderSession, type ForwardResult } from '../../runners/backends/onnxruntime/decoder-session.js';
import { findTargets, openSurgeryModel } from '../../runners/compress/model-graph.js';
import { loadModelFolder } from '../../runners/model/model-folder.js';
import { cli } from '../cli-helpers.js';
import { tempDir } from './fixtures.js';
import { argmax, maxLogitDiff, readReference } from './import/hf-reference.js';

/**
 * Folders as optimum writes them (test/fixtures/optimum, made by
 * datasets/hf-fixtures/make_fixtures.py from the llama-bf16 checkpoint): the TorchScript
 * exporter's graph (onnx::MatMul_<n> weights, the tied head as a transposed copy, bias
 * Adds, transformers 5's (B,S,-1,head_dim) reshapes and expand-based GQA) and the same
 * after onnxruntime's optimizer (RMSNorms fused into SimplifiedLayerNormalization and
 * com.microsoft SkipSimplifiedLayerNormalization). The runtime reproduces PyTorch, and
 * every compression method runs on them; structured pruning's packed form equals its
 * simulated twin (measured: exactly, 0).
 */
const test = suite('runners on optimum-style exports');

const FOLDERS = ['llama-bf16-plain', 'llama-bf16-fused'] as const;
const dirOf = (name: string): string => packagePath('test', 'fixtures', 'optimum', name);
const ref = readReference('llama-bf16');

function logitsRows(r: ForwardResult, n: number): Float32Array {
  return r.logits.slice(r.offset(0, 0), r.offset(0, 0) + n * r.vocab);
}

test('the fixtures have optimum\'s patterns', () => {
  const plain = openSurgeryModel(dirOf('llama-bf16-plain')).model;
  const weights = findTargets(plain, { includeHead: true }).map((t) => t.weight);
  assert.is(weights.length, 15);
  assert.ok(weights.every((w) => /^onnx::MatMul_\d+$/u.test(w)), weights.join(', '));
  const fused = openSurgeryModel(dirOf('llama-bf16-fused')).model;
  const ops = new Set((fused.graph?.node ?? []).map((n) => `${n.domain || 'ai.onnx'}:${n.op_type}`));
  assert.ok(ops.has('com.microsoft:SkipSimplifiedLayerNormalization') && ops.has('ai.onnx:SimplifiedLayerNormalization'), [...ops].join(' '));
});

for (const name of FOLDERS) {
  test(`${name}: logits equal PyTorch's (≤ 1e-4), greedy equal, KV steps equal the full forward`, async () => {
    const s = await DecoderSession.create(loadModelFolder(dirOf(name)));
    try {
      for (let p = 0; p < ref.prompts.length; p++) {
        const r = await s.forward([ref.prompts[p]]);
        const d = maxLogitDiff(r, 0, ref.logits[p], ref.prompts[p].length);
        assert.ok(d <= 1e-4, `prompt ${p}: max |Δlogit| ${d}`);
        let step = r;
        const got: number[] = [];
        for (let i = 0, at = ref.prompts[p].length - 1; i < ref.greedy[p].length; i++, at = 0) {
          got.push(argmax(step.logits, step.offset(0, at), step.vocab));
          step = await s.forward([[got[i]]], step.cache);
        }
        assert.equal(got, ref.greedy[p], `greedy ${p}`);
      }
      const ids = ref.prompts[2];
      const full = await s.forward([ids]);
      const prefix = await s.forward([ids.slice(0, 20)]);
      const rest = await s.forward([ids.slice(20)], prefix.cache);
      assert.ok(maxLogitDiff(rest, 0, logitsRows(full, ids.length).slice(20 * full.vocab), ids.length - 20) <= 1e-4);
    } finally {
      await s.release();
    }
  });

  test(`${name}: every compression method runs; structured packed equals its simulated twin`, async () => {
    const root = tempDir('optimum-compress');
    const methods = [
      ['rtn', '--bits', '4', '--group', '32', '--form', 'packed', '--include-head'],
      ['awq', '--bits', '4', '--group', '32'],
      ['gptq', '--bits', '4', '--group', '32'],
      ['smoothquant'],
      ['wanda', '--sparsity', '0.5'],
    ];
    for (const [method, ...flags] of methods) {
      const r = cli('compress', '--model', dirOf(name), '--method', method, ...flags, '--out', join(root, method));
      assert.is(r.code, 0, `${method}: ${r.stderr}`);
      assert.match(r.stdout, method === 'rtn' ? /15 weights/ : /14 weights|self-check passed/);
    }
    const ids = ref.prompts[2];
    const out: Float32Array[] = [];
    for (const form of ['packed', 'simulated']) {
      const dir = join(root, `structured-${form}`);
      const r = cli('compress', '--model', dirOf(name), '--method', 'structured', '--ratio', '0.5', '--target', 'both', '--form', form, '--out', dir);
      assert.is(r.code, 0, `structured ${form}: ${r.stderr}`);
      const s = await DecoderSession.create(loadModelFolder(dir));
      try {
        out.push(logitsRows(await s.forward([ids]), ids.length));
      } finally {
        await s.release();
      }
    }
    const cfg = JSON.parse(readFileSync(join(root, 'structured-packed', 'config.json'), 'utf8')) as Record<string, number>;
    assert.equal([cfg.num_attention_heads, cfg.num_key_value_heads, cfg.intermediate_size], [2, 1, 32]);
    let d = 0;
    for (let i = 0; i < out[0].length; i++) d = Math.max(d, Math.abs(out[0][i] - out[1][i]));
    assert.ok(d <= 1e-4, `packed vs simulated: ${d}`);
  });
}

test.run();
