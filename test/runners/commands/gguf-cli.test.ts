import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertOneLineError, cli } from '../../cli-helpers.js';
import { tempDir } from '../fixtures.js';
import { readGgufFile } from '../../../runners/formats/gguf/index.js';
import { findInitializer, readModelFile, tensorToFloat32 } from '../../../runners/formats/onnx/index.js';

/** `compbench export --gguf` and `compbench import FILE.gguf` through the compiled CLI, on a small synth model. */
const test = suite('runners/commands export/import gguf (CLI)');

test('synth fp32 → export --gguf → import: same weights back, loadable folder', () => {
  const root = tempDir('gguf-cli');
  try {
    const model = join(root, 'synth');
    assert.is(cli('synth', '--out', model, '--hidden', '64', '--layers', '2', '--heads', '4', '--kv-heads', '2', '--vocab', '2048', '--seed', '3').code, 0);
    const gguf = join(root, 'synth.gguf');
    const e = cli('export', model, '--gguf', gguf);
    assert.is(e.code, 0, e.stderr);
    assert.match(e.stdout, /llama F32, 21 tensors/);
    const g = readGgufFile(gguf);
    assert.is(g.metadata.get('llama.attention.head_count_kv'), 2);
    assert.is(g.tensors.find((t) => t.name === 'blk.1.attn_k.weight')!.dims.join('x'), '64x32');
    const back = join(root, 'back');
    const i = cli('import', gguf, '--out', back);
    assert.is(i.code, 0, i.stderr);
    assert.match(i.stdout, /llama from GGUF, 21 tensors \(21 F32→float32\)/);
    const a = readModelFile(join(model, 'onnx', 'model.onnx')), b = readModelFile(join(back, 'onnx', 'model.onnx'));
    for (const name of ['model.layers.1.self_attn.q_proj.weight', 'model.layers.0.self_attn.k_proj.weight', 'lm_head.weight', 'model.embed_tokens.weight']) {
      const x = tensorToFloat32(findInitializer(a, name), join(model, 'onnx', 'model.onnx')), y = tensorToFloat32(findInitializer(b, name), join(back, 'onnx', 'model.onnx'));
      assert.ok(Buffer.from(x.buffer).equals(Buffer.from(y.buffer)), name);
    }
    const gen = cli('generate', '--model', back, '--max-new-tokens', '2', '--json');
    assert.is(gen.code, 0, gen.stderr);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('bad input exits 2 with one line', () => {
  const root = tempDir('gguf-cli-bad');
  try {
    assertOneLineError(cli('export', join(root, 'missing'), '--gguf', join(root, 'x.gguf')), /missing is not a folder/);
    assertOneLineError(cli('export', root, '--gguf', join(root, 'x.gguf'), '--dtype', 'q4'), /--dtype must be f32 or f16/);
    assertOneLineError(cli('export', root), /export needs --gguf FILE/);
    assertOneLineError(cli('import', join(root, 'none.gguf'), '--out', join(root, 'o')), /none\.gguf: cannot open GGUF file/);
    assertOneLineError(cli('import', join(root, 'a.txt'), '--out', join(root, 'o')), /is not a \.gguf file/);
    const nbits = join(root, 'nbits');
    assert.is(cli('synth', '--out', nbits, '--hidden', '64', '--layers', '1', '--vocab', '2048', '--format', 'nbits4').code, 0);
    assertOneLineError(cli('export', nbits, '--gguf', join(root, 'y.gguf')), /is MatMulNBits, the model is already compressed/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
