import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { METHOD_IDS, METHODS } from '../../kernels/registry.js';
import { validateParams } from '../../kernels/validate-params.js';
import { inputError } from './fixtures.js';

const test = suite('kernels/registry');

test('registry keys are the method ids of DESIGN.md §4 (all but distill, which trains)', () => {
  assert.equal(METHOD_IDS, ['rtn', 'nf4', 'gptq', 'awq', 'smoothquant', 'magnitude', 'wanda', 'nm', 'structured']);
  for (const id of METHOD_IDS) {
    assert.is(METHODS[id].id, id);
    assert.equal(Object.keys(METHODS[id].defaults).sort(), Object.keys(METHODS[id].params).sort(), id);
  }
});

test('defaults validate and are returned filled in', () => {
  for (const id of METHOD_IDS) validateParams(id, {}, { K: 128, calibrationTokens: 16 });
  const p = validateParams('gptq', { bits: 3, group: 64 }, { K: 128 });
  assert.equal(p, { bits: 3, symmetric: false, group: 64, damp: 0.01, blockSize: 128, actOrder: false, staticGroups: false });
});

test('one-line InputErrors for the documented mistakes', () => {
  assert.throws(() => validateParams('rtn', { bits: 9 }), inputError(/^rtn: bits must be an integer from 2 to 8, got 9$/));
  assert.throws(() => validateParams('gptq', { bits: 1 }), inputError(/2 to 8/));
  assert.throws(() => validateParams('awq', { group: 48 }, { K: 128 }), inputError(/group 48 does not divide K = 128; valid groups for K = 128: 8, 16, 32, 64, 128, channel/));
  assert.throws(() => validateParams('magnitude', { sparsity: 1 }), inputError(/sparsity must be a number in \[0, 1\), got 1/));
  assert.throws(() => validateParams('wanda', { sparsity: -0.5 }), inputError(/\[0, 1\)/));
  assert.throws(() => validateParams('nm', { n: 4, m: 4 }), inputError(/N must be smaller than M/));
  assert.throws(() => validateParams('gptq', {}, { calibrationTokens: 0 }), inputError(/gptq needs calibration input/));
  assert.throws(() => validateParams('rtn', { bitz: 4 }), inputError(/Unknown param 'bitz'. Did you mean: bits\?/));
  assert.throws(() => validateParams('gtpq' as 'gptq', {}), inputError(/Unknown method 'gtpq'. Did you mean: gptq\?/));
  // Methods without calibration accept an empty set.
  validateParams('rtn', {}, { calibrationTokens: 0 });
});

test.run();
