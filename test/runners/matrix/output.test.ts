import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { ensureOutDir, startRunState, writeAtomically } from '../../../runners/matrix/output.js';
import { tempDir } from '../fixtures.js';

const test = suite('runners/matrix/output');

test('an output path under a regular file is an InputError; nested folders are created', () => {
  const file = join(tempDir('out'), 'file');
  writeFileSync(file, '');
  assert.throws(() => ensureOutDir(join(file, 'run')), (e: Error) => e instanceof InputError && /not writable .*is a file/.test(e.message));
  const nested = join(tempDir('out'), 'a', 'b');
  assert.is(ensureOutDir(nested), nested);
  assert.ok(existsSync(nested));
});

test('a path under /proc fails fast instead of hanging', () => {
  if (!existsSync('/proc/self')) return;
  assert.throws(() => ensureOutDir('/proc/compbench-nope/run'), (e: Error) => e instanceof InputError);
});

test('atomic writes leave the old file intact when the write fails', () => {
  const dir = tempDir('atomic');
  const path = join(dir, 'run.json');
  writeAtomically(path, 'old');
  assert.throws(() => writeAtomically(join(dir, 'missing', 'run.json'), 'new'), (e: Error) => e instanceof InputError);
  assert.is(readFileSync(path, 'utf8'), 'old');
});

test('resume keeps the run id; a changed config or no state refuses', () => {
  const dir = tempDir('state');
  assert.throws(() => startRunState(dir, 'abc', '/c', true), (e: Error) => e instanceof InputError && /no interrupted run/.test(e.message));
  const first = startRunState(dir, 'abc', '/c', false);
  assert.is(startRunState(dir, 'abc', '/c', true).runId, first.runId);
  assert.throws(() => startRunState(dir, 'xyz', '/c', true), (e: Error) => e instanceof InputError && /config .* changed/.test(e.message));
});

test.run();
