import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import { GGML_TYPES } from '../../../../runners/formats/gguf/index.js';
import { GGUF_QUANT_NAMES, GGUF_QUANT_TYPES, ggufQuantType, nominalBitsPerWeight } from '../../../../runners/compress/gguf/index.js';

const test = suite('runners/compress/gguf/gguf-types (llama.cpp quant names -> llama_ftype)');

test('ftype values are llama.h enum llama_ftype (spot checks) and unique', () => {
  // include/llama.h, llama.cpp v0.5.0: Q4_0 = 2, Q8_0 = 7, Q4_K_M = 15, Q6_K = 18, IQ4_XS = 30, BF16 = 32.
  assert.is(GGUF_QUANT_TYPES.Q4_0.ftype, 2);
  assert.is(GGUF_QUANT_TYPES.Q8_0.ftype, 7);
  assert.is(GGUF_QUANT_TYPES.Q4_K_M.ftype, 15);
  assert.is(GGUF_QUANT_TYPES.Q6_K.ftype, 18);
  assert.is(GGUF_QUANT_TYPES.IQ4_XS.ftype, 30);
  assert.is(GGUF_QUANT_TYPES.BF16.ftype, 32);
  const ids = GGUF_QUANT_NAMES.map((n) => GGUF_QUANT_TYPES[n].ftype);
  assert.is(new Set(ids).size, ids.length);
  assert.is(GGUF_QUANT_NAMES.length, 26);
});

test('every base type is a ggml type compbench can size; nominal bits per weight from the block layout', () => {
  const names = new Set([...GGML_TYPES.values()].map((t) => t.name));
  for (const n of GGUF_QUANT_NAMES) assert.ok(names.has(GGUF_QUANT_TYPES[n].baseType), n);
  assert.is(nominalBitsPerWeight(GGUF_QUANT_TYPES.Q8_0), 8.5);
  assert.is(nominalBitsPerWeight(GGUF_QUANT_TYPES.Q4_K_M), 4.5);
  assert.is(nominalBitsPerWeight(GGUF_QUANT_TYPES.Q6_K), 6.5625);
  assert.is(nominalBitsPerWeight(GGUF_QUANT_TYPES.Q2_K), 2.625);
  assert.is(nominalBitsPerWeight(GGUF_QUANT_TYPES.IQ2_XXS), 2.0625);
  assert.is(nominalBitsPerWeight(GGUF_QUANT_TYPES.F16), 16);
});

test('the types llama.cpp refuses without an imatrix (tensor_requires_imatrix)', () => {
  const need = GGUF_QUANT_NAMES.filter((n) => GGUF_QUANT_TYPES[n].needsImatrix).sort();
  assert.equal(need, ['IQ1_M', 'IQ1_S', 'IQ2_S', 'IQ2_XS', 'IQ2_XXS', 'IQ3_XXS', 'Q2_K_S']);
});

test('an unknown name is one InputError line listing the valid names, with a case hint', () => {
  assert.throws(() => ggufQuantType('Q4_K_X'), (e: unknown) => e instanceof InputError && !e.message.includes('\n') && /unknown .*'Q4_K_X'.*Q8_0, Q6_K/.test(e.message));
  assert.throws(() => ggufQuantType('q4_k_m'), /did you mean Q4_K_M\?/);
  assert.is(ggufQuantType('IQ4_NL').ftype, 25);
});

test.run();
