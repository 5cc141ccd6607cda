import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InfraError, InputError } from '../../../core/errors.js';
import { assertFiniteStats } from '../../../runners/compress/finite-check.js';
import { compressModel } from '../../../runners/compress/variants.js';
import { assertOneLineError, cli } from '../../cli-helpers.js';
import { nanStudent, tempDir } from '../fixtures.js';

const test = suite('runners/compress/finite-check (non-finite numbers never pass)');

test('compress refuses a model with NaN weights, naming the tensor (API and CLI, exit 2)', async () => {
  const bad = nanStudent();
  if (!bad) return;
  try {
    await compressModel(bad.dir, { method: 'rtn', params: { bits: 4 } }, join(tempDir('nan'), 'out'));
    assert.unreachable('compressed a NaN model');
  } catch (e) {
    assert.ok(e instanceof InputError);
    assert.match((e as Error).message, new RegExp(`tensor '${bad.tensor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' holds \\d+ non-finite`));
  }
  const r = cli('compress', '--model', bad.dir, '--method', 'rtn', '--bits', '4', '--out', join(tempDir('nan-cli'), 'out'));
  assertOneLineError(r, /non-finite value\(s\).*fix or re-export it/);
});

test('non-finite kernel error statistics refuse the variant', () => {
  const ok = { weight: 'w', K: 2, N: 2, maxAbsError: 0.1, relFrobeniusError: 0.2 };
  assertFiniteStats([ok]);
  assert.throws(() => assertFiniteStats([{ ...ok, relFrobeniusError: NaN }]), (e: unknown) => e instanceof InfraError && /relFrobeniusError NaN/.test((e as Error).message));
  assert.throws(() => assertFiniteStats([{ ...ok, outputError: Infinity }]), /outputError Infinity/);
});

test.run();
