import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GGUF_TYPE_NAMES, METHOD_IDS, METHODS } from '../../kernels/registry.js';
import { GGUF_QUANT_NAMES } from '../../runners/compress/gguf/gguf-types.js';
import { calibrationNeeded, validateParams } from '../../kernels/validate-params.js';
import { inputError } from './fixtures.js';

const test = suite('kernels/registry');

test('registry keys are the method ids of DESIGN.md §4 (all but distill, which trains), kv-cache and gguf (issue 13), llm-int8, flap and fairprune (issue 18)', () => {
  assert.equal(METHOD_IDS, ['rtn', 'nf4', 'gptq', 'awq', 'smoothquant', 'magnitude', 'wanda', 'nm', 'structured', 'kv-cache', 'gguf', 'llm-int8', 'flap', 'fairprune']);
  for (const id of METHOD_IDS) {
    assert.is(METHODS[id].id, id);
    assert.equal(Object.keys(METHODS[id].defaults).sort(), Object.keys(METHODS[id].params).sort(), id);
  }
});

test('defaults validate and are returned filled in', () => {
  for (const id of METHOD_IDS) validateParams(id, {}, { calibrationTokens: 16 });
  const p = validateParams('gptq', { bits: 3, group: 64 });
  assert.equal(p, { bits: 3, symmetric: false, symGrid: 'full', group: 64, damp: 0.01, blockSize: 128, actOrder: false, staticGroups: false });
  assert.equal(validateParams('nm', {}), { n: 2, m: 4, score: 'wanda' });
});

test('one-line InputErrors for the documented mistakes', () => {
  assert.throws(() => validateParams('rtn', { bits: 9 }), inputError(/^rtn: bits must be an integer from 2 to 8, got 9$/));
  assert.throws(() => validateParams('gptq', { bits: 1 }), inputError(/2 to 8/));
  assert.throws(() => validateParams('awq', { group: 0 }), inputError(/^awq: group must be 'channel' or a positive integer group size, got 0$/));
  assert.throws(() => validateParams('rtn', { group: 32.5 }), inputError(/positive integer group size, got 32.5/));
  assert.throws(() => validateParams('rtn', { group: 'row' }), inputError(/'channel' or 'tensor'/));
  assert.throws(() => validateParams('nf4', { blockSize: 1 }), inputError(/^nf4: blockSize must be an integer from 2 to 4096, got 1$/));
  assert.throws(() => validateParams('rtn', { symGrid: 'narrow' }), inputError(/^rtn: symGrid 'narrow' is a symmetric grid; also set symmetric: true/));
  assert.throws(() => validateParams('gptq', { symGrid: 'tight' }), inputError(/symGrid must be one of full, narrow, got "tight"/));
  assert.throws(() => validateParams('nm', { score: 'norm' }), inputError(/score must be one of wanda, magnitude/));
  assert.throws(() => validateParams('llm-int8', { threshold: 0 }), inputError(/^llm-int8: threshold must be a number in \[0.001, 1000000\], got 0$/));
  assert.throws(() => validateParams('fairprune', { protect: '' }), inputError(/^fairprune: protect must be a non-empty string, got ""$/));
  assert.throws(() => validateParams('flap', { ratio: 1 }), inputError(/^flap: ratio must be a number in \[0, 1\), got 1$/));
  assert.throws(() => validateParams('nm', {}, { calibrationTokens: 0 }), inputError(/nm with score 'wanda' needs calibration input/));
  assert.throws(() => validateParams('magnitude', { sparsity: 1 }), inputError(/sparsity must be a number in \[0, 1\), got 1/));
  assert.throws(() => validateParams('wanda', { sparsity: -0.5 }), inputError(/\[0, 1\)/));
  assert.throws(() => validateParams('nm', { n: 4, m: 4 }), inputError(/N must be smaller than M/));
  assert.throws(() => validateParams('kv-cache', { type: 'q8' }), inputError(/^kv-cache: type must be one of q8_0, q4_0, kivi2, got "q8"$/));
  assert.throws(() => validateParams('kv-cache', { type: 'kivi2', group: 32, residual: 48 }), inputError(/residual must be 0 or a multiple of group 32/));
  assert.throws(() => validateParams('kv-cache', { type: 'q4_0', residual: 0 }), inputError(/apply to type kivi2 only/));
  assert.throws(() => validateParams('gptq', {}, { calibrationTokens: 0 }), inputError(/gptq needs calibration input/));
  assert.throws(() => validateParams('rtn', { bitz: 4 }), inputError(/Unknown param 'bitz'. Did you mean: bits\?/));
  assert.throws(() => validateParams('gtpq' as 'gptq', {}), inputError(/Unknown method 'gtpq'. Did you mean: gptq\?/));
  // Methods without calibration accept an empty set; groups that do not divide K are fine.
  validateParams('rtn', {}, { calibrationTokens: 0 });
  validateParams('nm', { score: 'magnitude' }, { calibrationTokens: 0 });
  validateParams('awq', { group: 48, symmetric: true, symGrid: 'narrow' });
  assert.is(calibrationNeeded('nm', validateParams('nm', { score: 'magnitude' })), false);
  assert.is(calibrationNeeded('nm', validateParams('nm', {})), true);
  assert.is(calibrationNeeded('rtn', validateParams('rtn', {})), false);
  assert.is(calibrationNeeded('gptq', validateParams('gptq', {})), true);
});

test('gguf types: the registry lists F32 and exactly the llama.cpp types runners/compress/gguf maps to an ftype', () => {
  assert.equal([...GGUF_TYPE_NAMES].filter((n) => n !== 'F32').sort(), [...GGUF_QUANT_NAMES].sort());
  assert.ok(GGUF_TYPE_NAMES.includes('F32'));
});

test.run();
