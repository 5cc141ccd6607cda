import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { quantizeGguf, type GgufQuantRecord } from '../../../../runners/compress/gguf/index.js';
import { readGgufFile } from '../../../../runners/formats/gguf/index.js';
import { storiesDir, tempDir } from '../../fixtures.js';
import { nextTokenLogits } from './llama-load.js';

const test = suite('runners/compress/gguf/quantize-gguf on stories260K (dim 64, ffn 172: fallbacks recorded)');

const stories = storiesDir('stories260K GGUF quantization');
const source = stories ? join(stories, 'source', 'stories260K.gguf') : '';
const dir = tempDir('gguf-stories');
const LAYERS = [0, 1, 2, 3, 4];

function assertFallbacksInFile(r: GgufQuantRecord): void {
  const file = readGgufFile(r.output.path);
  for (const f of r.fallbacks) {
    const t = file.tensors.find((x) => x.name === f.tensor)!;
    assert.is(t.type.name, f.fallbackType, f.tensor);
    assert.is(t.dims[0], f.ncols, f.tensor);
    const rec = r.tensors.find((x) => x.name === f.tensor)!;
    assert.is(rec.requestedType, f.requestedType);
    assert.is(rec.actualType, f.fallbackType);
  }
}

test('Q8_0: the five ffn_down (172 columns, not a multiple of 32) fall back to F16', async () => {
  if (!stories) return;
  const r = await quantizeGguf(source, 'Q8_0', join(dir, 'q8_0.gguf'));
  assert.equal(r.fallbacks, LAYERS.map((l) => ({ tensor: `blk.${l}.ffn_down.weight`, ncols: 172, blockSize: 32, requestedType: 'Q8_0', fallbackType: 'F16' })));
  assert.ok(r.log.some((l) => /5 of 48 tensor\(s\) required fallback quantization/.test(l)));
  assert.equal(r.shapeLimited.map((s) => [s.tensor, s.loggedFallback]), LAYERS.map((l) => [`blk.${l}.ffn_down.weight`, true]));
  assertFallbacksInFile(r);
  assert.ok((await nextTokenLogits(r.output.path, 'Once upon')).every(Number.isFinite));
});

test('Q4_K_M: every 2-D tensor is shape-limited; 64-column ones go to Q5_0/Q8_0, ffn_down to F16, the head silently to Q8_0', async () => {
  if (!stories) return;
  const r = await quantizeGguf(source, 'Q4_K_M', join(dir, 'q4_k_m.gguf'));
  assert.is(r.fallbacks.length, 36);
  assertFallbacksInFile(r);
  const by = (name: string) => r.fallbacks.find((f) => f.tensor === name);
  assert.equal(by('blk.0.attn_q.weight'), { tensor: 'blk.0.attn_q.weight', ncols: 64, blockSize: 256, requestedType: 'Q4_K', fallbackType: 'Q5_0' });
  assert.equal(by('token_embd.weight')?.fallbackType, 'Q5_0');
  for (const l of LAYERS) assert.is(by(`blk.${l}.ffn_down.weight`)?.fallbackType, 'F16');
  // Q4_K_M raises some attn_v to Q6_K, whose fallback is Q8_0.
  assert.ok(r.fallbacks.some((f) => f.requestedType === 'Q6_K' && f.fallbackType === 'Q8_0'));
  // llama.cpp picks Q8_0 for the head itself (ncols % 256 != 0) and logs no fallback: the record still shows it.
  const head = r.shapeLimited.find((s) => s.tensor === 'output.weight');
  assert.equal(head, { tensor: 'output.weight', ncols: 64, baseType: 'Q4_K', blockSize: 256, actualType: 'Q8_0', loggedFallback: false });
  assert.is(r.shapeLimited.length, 37);
  assert.ok(r.bitsPerWeight.quantizedTensors > 7, 'fallbacks make Q4_K_M cost more than 7 bits per weight here');
  assert.ok((await nextTokenLogits(r.output.path, 'Once upon')).every(Number.isFinite));
});

// tensor_type_fallback in src/llama-quant.cpp: the 32-block type each 256-block type falls back to.
const FALLBACK_OF: Readonly<Record<string, string>> = { Q2_K: 'Q4_0', Q3_K: 'Q4_0', Q4_K: 'Q5_0', Q5_K: 'Q5_1', Q6_K: 'Q8_0' };

test('Q2_K, Q3_K_M, Q5_K_M, Q6_K: each fallback follows llama.cpp\'s table (F16 when 32 does not divide the row); counts agree', async () => {
  if (!stories) return;
  for (const type of ['Q2_K', 'Q3_K_M', 'Q5_K_M', 'Q6_K']) {
    const r = await quantizeGguf(source, type, join(dir, `${type}.gguf`));
    const reported = r.log.map((l) => /(\d+) of 48 tensor\(s\) required fallback/.exec(l)?.[1]).find(Boolean);
    assert.is(r.fallbacks.length, Number(reported), type);
    assert.is(r.fallbacks.length, 36, type);
    for (const f of r.fallbacks) assert.is(f.fallbackType, f.ncols % 32 === 0 ? FALLBACK_OF[f.requestedType] : 'F16', `${type} ${f.tensor}`);
    assertFallbacksInFile(r);
  }
});

test.run();
