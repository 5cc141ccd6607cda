import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportGguf } from '../../../runners/import/onnx-to-gguf.js';
import { importGguf } from '../../../runners/import/gguf-to-onnx.js';
import { readGgufFile, readGgufTensorBytes } from '../../../runners/formats/gguf/index.js';
import { DecoderSession } from '../../../runners/backends/onnxruntime/decoder-session.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { copyModelFolder, storiesDir, teacherDir, tempDir } from '../fixtures.js';
import { loadLlamaCpp, TOKENIZER_PROBES } from './llama-cpp-oracle.js';
import { rejectsInput } from './rejects-input.js';

const test = suite('exportGguf');


/**
 * Teacher F32 on llama.cpp vs onnxruntime, max |Δ| over every logit of 3 prompts (61
 * positions × 2048): measured 1.1e-5 (x86-64 CPU, node-llama-cpp 3.22.1, flash attention
 * off); 1e-4 leaves room for other SIMD paths.
 */
const F32_LOGIT_BOUND = 1e-4;
/** F16 matrices: measured 8.2e-3 on the same prompts. */
const F16_LOGIT_BOUND = 2e-2;

const PROMPTS = ['The capital of France is Paris. Once upon a time', 'café naïve 12345\n\nthe end', "it's a dog, isn't it? Tom and Anna went to the park"];

async function maxLogitGap(dir: string, gguf: string): Promise<number | undefined> {
  const cpp = await loadLlamaCpp(gguf);
  if (!cpp) return undefined;
  const folder = loadModelFolder(dir);
  const session = await DecoderSession.create(folder);
  let gap = 0;
  try {
    for (const p of PROMPTS) {
      const ids = folder.tokenizer.encode(p);
      const want = await session.forward([ids]);
      const got = await cpp.logits(ids, want.vocab);
      got.forEach((row, j) => row.forEach((v, k) => (gap = Math.max(gap, Math.abs(v - want.logits[want.offset(0, j) + k])))));
    }
  } finally {
    await session.release();
    await cpp.dispose();
  }
  return gap;
}

test('teacher → GGUF F32: llama.cpp logits equal onnxruntime within the bound, tokenization equal on the probes', async () => {
  const dir = teacherDir('GGUF export golden');
  if (!dir) return;
  const file = join(tempDir('gguf'), 'teacher.gguf');
  const rec = await exportGguf(dir, file, { dtype: 'F32' });
  assert.is(rec.tensors, 2 + 4 * 9 + 1);
  assert.is(rec.vocabForm, 'spm-from-byte-level');
  const gap = await maxLogitGap(dir, file);
  if (gap === undefined) return void console.log('SKIP llama.cpp cross-check: node-llama-cpp not loadable');
  console.log(`  teacher F32 GGUF: llama.cpp vs onnxruntime max |Δlogit| ${gap.toExponential(2)}`);
  assert.ok(gap < F32_LOGIT_BOUND, `max |Δ| ${gap}`);
  const cpp = (await loadLlamaCpp(file))!;
  const tok = loadModelFolder(dir).tokenizer;
  try {
    for (const s of TOKENIZER_PROBES) assert.equal(cpp.tokenize(s), tok.encodePlain(s), JSON.stringify(s));
  } finally {
    await cpp.dispose();
  }
});

test('teacher → GGUF F16: matrices in F16, norms in F32, logits within the F16 bound', async () => {
  const dir = teacherDir('GGUF F16 export');
  if (!dir) return;
  const file = join(tempDir('gguf'), 'teacher-f16.gguf');
  await exportGguf(dir, file, { dtype: 'F16' });
  const g = readGgufFile(file);
  assert.is(g.tensors.find((t) => t.name === 'blk.0.attn_q.weight')!.type.name, 'F16');
  assert.is(g.tensors.find((t) => t.name === 'blk.0.attn_norm.weight')!.type.name, 'F32');
  const gap = await maxLogitGap(dir, file);
  if (gap === undefined) return;
  console.log(`  teacher F16 GGUF: max |Δlogit| ${gap.toExponential(2)}`);
  assert.ok(gap < F16_LOGIT_BOUND, `max |Δ| ${gap}`);
});

test('stories260k → GGUF: weights and vocabulary equal llama.cpp\'s own stories260K.gguf', async () => {
  const dir = storiesDir('stories260k GGUF export');
  if (!dir) return;
  const file = join(tempDir('gguf'), 'stories.gguf');
  const rec = await exportGguf(dir, file, { dtype: 'F32' });
  assert.is(rec.vocabForm, 'spm');
  const mine = readGgufFile(file), ref = readGgufFile(join(dir, 'source', 'stories260K.gguf'));
  for (const t of ref.tensors) {
    const m = mine.tensors.find((x) => x.name === t.name);
    assert.ok(m, `missing ${t.name}`);
    assert.equal(m!.dims, t.dims, t.name);
    // the permuted Q/K rows included: byte-identical to llama.cpp's conversion
    assert.ok(Buffer.from(readGgufTensorBytes(mine, m!)).equals(Buffer.from(readGgufTensorBytes(ref, t))), `${t.name} bytes differ`);
  }
  assert.equal(mine.metadata.get('tokenizer.ggml.tokens'), ref.metadata.get('tokenizer.ggml.tokens'));
  assert.equal(mine.metadata.get('tokenizer.ggml.token_type'), ref.metadata.get('tokenizer.ggml.token_type'));
  const cpp = await loadLlamaCpp(file);
  if (!cpp) return;
  const tok = loadModelFolder(dir).tokenizer;
  try {
    for (const s of TOKENIZER_PROBES) assert.equal(cpp.tokenize(s), tok.encodePlain(s), JSON.stringify(s));
  } finally {
    await cpp.dispose();
  }
});

test('byte-level BPE with the GPT-2 split regex exports as gpt2 + merges; llama.cpp and the re-imported tokenizer.json tokenize like it', async () => {
  const dir = teacherDir('GGUF gpt2 tokenizer');
  if (!dir) return;
  const copy = copyModelFolder(dir);
  const tokPath = join(copy, 'tokenizer.json');
  const tok = JSON.parse(readFileSync(tokPath, 'utf8'));
  const gpt2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
  tok.pre_tokenizer.pretokenizers[0].pattern = { Regex: gpt2 };
  writeFileSync(tokPath, JSON.stringify(tok));
  const file = join(tempDir('gguf'), 'gpt2.gguf');
  const rec = await exportGguf(copy, file, { dtype: 'F32' });
  assert.is(rec.vocabForm, 'gpt2');
  const g = readGgufFile(file);
  assert.is(g.metadata.get('tokenizer.ggml.pre'), 'gpt-2');
  const cpp = await loadLlamaCpp(file);
  if (!cpp) return;
  const hf = loadModelFolder(copy).tokenizer;
  const back = join(tempDir('gguf-import'), 'model');
  await importGguf(file, back);
  const again = loadModelFolder(back).tokenizer;
  try {
    for (const s of TOKENIZER_PROBES) {
      assert.equal(cpp.tokenize(s), hf.encodePlain(s), `llama.cpp ${JSON.stringify(s)}`);
      assert.equal(again.encodePlain(s), hf.encodePlain(s), `re-imported ${JSON.stringify(s)}`);
    }
  } finally {
    await cpp.dispose();
  }
});

test('a compressed graph and a non-Llama architecture are refused in one line', async () => {
  const dir = teacherDir('GGUF export refusals');
  if (!dir) return;
  const copy = copyModelFolder(dir);
  const onnx = join(copy, 'onnx', 'model.onnx');
  const { readModelFile, encodeModel } = await import('../../../runners/formats/onnx/index.js');
  const model = readModelFile(onnx);
  const node = model.graph!.node!.find((n) => n.op_type === 'MatMul')!;
  node.op_type = 'MatMulNBits';
  node.domain = 'com.microsoft';
  writeFileSync(onnx, encodeModel(model));
  const out = join(tempDir('gguf'), 'x.gguf');
  await rejectsInput(() => exportGguf(copy, out, { dtype: 'F32' }), /node '.*' is MatMulNBits, the model is already compressed/);
  const cfg = JSON.parse(readFileSync(join(copy, 'config.json'), 'utf8'));
  writeFileSync(join(copy, 'config.json'), JSON.stringify({ ...cfg, architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2' }));
  await rejectsInput(() => exportGguf(copy, out, { dtype: 'F32' }), /Qwen2ForCausalLM is not exported to GGUF/);
  await rejectsInput(() => exportGguf(join(copy, 'nope'), out, { dtype: 'F32' }), /nope is not a folder/);
});

test.run();
