import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { readRunState } from '../../../core/run-state.js';
import { ensureOutDir, failRunState, finishRunState, PREVIOUS_RUN_DIR, startRunState, writeAtomically } from '../../../runners/matrix/output.js';
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

test('a new run moves the earlier finished run aside whole, before writing anything of its own', () => {
  const dir = tempDir('state');
  const earlier = finishRunState(dir, startRunState(dir, 'abc', '/c', false));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ runId: earlier.runId }));
  writeFileSync(join(dir, 'instances.jsonl'), '{}\n');
  mkdirSync(join(dir, 'report'));
  writeFileSync(join(dir, 'report', 'report.html'), '<html></html>');
  const lines: string[] = [];
  const now = startRunState(dir, 'abc', '/c', false, (l) => lines.push(l));
  assert.is.not(now.runId, earlier.runId);
  assert.equal(readdirSync(dir).sort(), [PREVIOUS_RUN_DIR, 'run-state.json']);
  assert.equal(readdirSync(join(dir, PREVIOUS_RUN_DIR)).sort(), ['instances.jsonl', 'report', 'run-state.json', 'run.json']);
  assert.is(readRunState(join(dir, PREVIOUS_RUN_DIR))?.runId, earlier.runId);
  assert.is(readRunState(dir)?.state, 'running');
  assert.is(readRunState(dir)?.pid, process.pid);
  assert.match(lines[0], `moved the earlier run ${earlier.runId} (run.json, instances.jsonl, report, run-state.json) to ${join(dir, PREVIOUS_RUN_DIR)}`);
});

test('leftovers of a run killed before its record are deleted; previous-run/ and a resumed run\'s own files stay', () => {
  const dir = tempDir('state');
  mkdirSync(join(dir, PREVIOUS_RUN_DIR));
  writeFileSync(join(dir, PREVIOUS_RUN_DIR, 'run.json'), '{}');
  const killed = startRunState(dir, 'abc', '/c', false);
  writeFileSync(join(dir, 'instances.jsonl'), '{}\n');
  const resumed = startRunState(dir, 'abc', '/c', true);
  assert.is(resumed.runId, killed.runId);
  assert.ok(existsSync(join(dir, 'instances.jsonl')), 'resume keeps the interrupted run\'s files');
  startRunState(dir, 'abc', '/c', false);
  assert.equal(readdirSync(dir).sort(), [PREVIOUS_RUN_DIR, 'run-state.json']);
  assert.ok(existsSync(join(dir, PREVIOUS_RUN_DIR, 'run.json')), 'the earlier record survives a killed run');
});

test('failRunState marks only this process\'s running run, with the error', () => {
  const dir = tempDir('state');
  failRunState(dir, new Error('nothing to mark'));
  assert.not.ok(existsSync(join(dir, 'run-state.json')));
  const s = startRunState(dir, 'abc', '/c', false);
  failRunState(dir, new Error('the worker host process failed: write EPIPE'));
  assert.equal({ state: readRunState(dir)?.state, error: readRunState(dir)?.error }, { state: 'failed', error: 'the worker host process failed: write EPIPE' });
  finishRunState(dir, s);
  failRunState(dir, new Error('late'));
  assert.is(readRunState(dir)?.state, 'finished');
});

test.run();
