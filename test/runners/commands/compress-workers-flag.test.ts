import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { compressCommand } from '../../../runners/commands/compress.js';
import { tempDir } from '../fixtures.js';

const test = suite('compbench compress --compress-workers');

async function errorOf(value: string): Promise<unknown> {
  try {
    await compressCommand(['--method', 'rtn', '--out', join(tempDir('wflag'), 'v'), '--compress-workers', value], () => undefined);
  } catch (e) {
    return e;
  }
  return undefined;
}

test('0, a fraction and words are one InputError line naming the flag and the range', async () => {
  const zero = await errorOf('0');
  assert.ok(zero instanceof InputError);
  assert.is((zero as Error).message, "--compress-workers must be an integer from 1 to 256 (got '0')");
  for (const bad of ['1.5', 'two']) {
    const e = await errorOf(bad);
    assert.ok(e instanceof InputError, bad);
    assert.match((e as Error).message, '--compress-workers');
  }
});

test('the usage text names the flag', async () => {
  const lines: string[] = [];
  await compressCommand(['--help'], (l) => lines.push(l));
  assert.match(lines.join('\n'), '--compress-workers N');
});

test.run();
