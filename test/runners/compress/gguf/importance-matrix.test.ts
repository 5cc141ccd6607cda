import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import { readGgufFile } from '../../../../runners/formats/gguf/index.js';
import {
  checkImportanceMatrix, ggufNameOfOnnxWeight, importanceMatrixForGguf, importanceMatrixForOnnxModel, importanceMatrixFromActivations,
} from '../../../../runners/compress/gguf/index.js';
import { teacherDir, tempDir } from '../../fixtures.js';
import { writeTinyLlamaGguf } from './tiny-gguf.js';

const test = suite('runners/compress/gguf/importance-matrix (mean x² per input column)');

test('mean over tokens of x_j², against a hand-computed vector', () => {
  // x (T=3, K=2) = [[1, -2], [3, 0], [-1, 4]] -> [(1+9+1)/3, (4+0+16)/3]
  const v = importanceMatrixFromActivations(new Float32Array([1, -2, 3, 0, -1, 4]), 3, 2);
  assert.equal([...v], [Math.fround(11 / 3), Math.fround(20 / 3)]);
  assert.throws(() => importanceMatrixFromActivations(new Float32Array(5), 3, 2), (e: unknown) => e instanceof InputError && /5 values, not T×K = 3×2/.test((e as Error).message));
});

test('ONNX Llama weight names map to GGUF tensor names', () => {
  assert.is(ggufNameOfOnnxWeight('model.layers.3.self_attn.q_proj.weight'), 'blk.3.attn_q.weight');
  assert.is(ggufNameOfOnnxWeight('model.layers.0.self_attn.o_proj.weight'), 'blk.0.attn_output.weight');
  assert.is(ggufNameOfOnnxWeight('model.layers.12.mlp.down_proj.weight'), 'blk.12.ffn_down.weight');
  assert.is(ggufNameOfOnnxWeight('lm_head.weight'), 'output.weight');
  assert.is(ggufNameOfOnnxWeight('model.embed_tokens.weight'), undefined);
  assert.is(ggufNameOfOnnxWeight('model.layers.0.mlp.fc1.weight'), undefined);
});

test('entries are checked against the GGUF before llama.cpp sees them (name, length, finite)', () => {
  const path = `${tempDir('imx')}/tiny.gguf`;
  writeTinyLlamaGguf(path);
  const file = readGgufFile(path);
  const ok = { entries: new Map([['blk.0.ffn_down.weight', new Float32Array(512).fill(1)]]), source: {} };
  checkImportanceMatrix(ok, file);
  const one = (name: string, data: Float32Array) => () => checkImportanceMatrix({ entries: new Map([[name, data]]), source: {} }, file);
  assert.throws(one('blk.0.ffn_down.weight', new Float32Array(256)), (e: unknown) => e instanceof InputError && /'blk\.0\.ffn_down\.weight' has 256 values but .* needs 512 \(n_per_row 512/.test((e as Error).message));
  assert.throws(one('blk.9.attn_q.weight', new Float32Array(256)), /names no tensor of/);
  assert.throws(one('blk.0.attn_q.weight', new Float32Array(256).fill(NaN)), /value 0 is NaN/);
  assert.throws(() => checkImportanceMatrix({ entries: new Map(), source: {} }, file), /has no entries/);
});

test('a GGUF-only source has no imatrix unless the ONNX twin is given', async () => {
  try {
    await importanceMatrixForGguf('/x/model.gguf', undefined);
    assert.unreachable();
  } catch (e) {
    assert.ok(e instanceof InputError);
    assert.match((e as Error).message, /\/x\/model\.gguf: an importance matrix needs calibration activations.*give the ONNX twin folder/);
  }
});

test('the bundled teacher: one entry per projection and the head, GGUF-named, length = input features', async () => {
  const dir = teacherDir('teacher importance matrix');
  if (!dir) return;
  const im = await importanceMatrixForOnnxModel(dir, { calibration: { nSequences: 2, seqLen: 16 } });
  assert.is(im.entries.size, 4 * 7 + 1);
  assert.is(im.entries.get('blk.0.attn_q.weight')!.length, 256);
  assert.is(im.entries.get('blk.3.ffn_down.weight')!.length, 768);
  assert.is(im.entries.get('output.weight')!.length, 256);
  // q, k and v read the same normalized input, so they share one vector.
  assert.is(im.entries.get('blk.1.attn_q.weight'), im.entries.get('blk.1.attn_k.weight'));
  for (const v of im.entries.values()) assert.ok(v.every((x) => Number.isFinite(x) && x >= 0) && v.some((x) => x > 0));
  assert.equal((im.source as { unmappedWeights: string[] }).unmappedWeights, []);
});

test.run();
