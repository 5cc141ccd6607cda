import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { compressCommand } from '../../../runners/commands/compress.js';
import { tempDir } from '../fixtures.js';

const test = suite('compbench compress --kernels');

test('an unknown implementation is one InputError line naming the flag and the choices', async () => {
  let caught: unknown;
  try {
    await compressCommand(['--method', 'wanda', '--sparsity', '0.5', '--out', join(tempDir('kflag'), 'v'), '--kernels', 'turbo'], () => undefined);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError);
  assert.is((caught as Error).message, "--kernels must be fast or reference (got 'turbo')");
});

test('the usage text names the flag', async () => {
  const lines: string[] = [];
  await compressCommand(['--help'], (l) => lines.push(l));
  assert.match(lines.join('\n'), '--kernels fast|reference');
});

test.run();
