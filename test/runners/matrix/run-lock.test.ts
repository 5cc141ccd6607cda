import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { RUN_LOCK_FILE } from '../../../core/run-state.js';
import { acquireRunLock } from '../../../runners/matrix/run-lock.js';
import { assertOneLineError, cli } from '../../cli-helpers.js';
import { tempDir } from '../fixtures.js';
import { writeConfig } from './fixtures.js';

const test = suite('runners/matrix/run-lock');

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

function writeLock(dir: string, pid: number, host = hostname()): void {
  writeFileSync(join(dir, RUN_LOCK_FILE), JSON.stringify({ pid, hostname: host, startedAt: '2026-01-02T03:04:05.000Z' }));
}

test('one holder at a time: a second acquire is refused in one line naming the holder; release frees the folder', () => {
  const dir = tempDir('lock');
  const lines: string[] = [];
  const lock = acquireRunLock(dir, (l) => lines.push(l));
  assert.is((JSON.parse(readFileSync(lock.file, 'utf8')) as { pid: number }).pid, process.pid);
  assert.throws(
    () => acquireRunLock(dir, (l) => lines.push(l)),
    (e: Error) => e instanceof InputError && new RegExp(`^--out ${dir}: another compbench run \\(pid ${process.pid} on `).test(e.message) && /choose another folder with --out$/.test(e.message),
  );
  lock.release();
  lock.release();
  assert.not.ok(existsSync(lock.file));
  acquireRunLock(dir, (l) => lines.push(l)).release();
  assert.equal(lines, [], 'no stale lock was broken');
});

test('a stale lock of a dead pid is broken with a message; one from another host is not', () => {
  const dir = tempDir('lock');
  const dead = deadPid();
  writeLock(dir, dead);
  const lines: string[] = [];
  const lock = acquireRunLock(dir, (l) => lines.push(l));
  assert.equal(lines, [`broke the stale lock ${join(dir, RUN_LOCK_FILE)}: its run (pid ${dead}) is no longer running`]);
  lock.release();
  writeLock(dir, 1, 'another-host');
  assert.throws(() => acquireRunLock(dir, () => {}), (e: Error) => e instanceof InputError && /locked by a run this host cannot check \(pid 1 on another-host.*delete /.test(e.message));
});

test('release leaves a lock that another run took after ours was broken', () => {
  const dir = tempDir('lock');
  const lock = acquireRunLock(dir, () => {});
  writeLock(dir, deadPid());
  lock.release();
  assert.ok(existsSync(lock.file));
});

test('CLI: a second run into the same --out is refused while the first holds the lock; its stale lock is broken once it is gone', async () => {
  const out = tempDir('locked-out');
  const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  writeLock(out, holder.pid!);
  assertOneLineError(cli('run', '--out', out, '--limit', '1'), new RegExp(`another compbench run \\(pid ${holder.pid} on .*is writing this folder`));
  assert.not.ok(existsSync(join(out, 'run-state.json')), 'the refused run wrote nothing');
  holder.kill('SIGKILL');
  await new Promise((r) => holder.once('exit', r));
  const badConfig = writeConfig({}, '{ "methods": [{ "method": "gtpq" }] }\n');
  const r = cli('run', '--config', badConfig, '--out', out);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stdout, `broke the stale lock ${join(out, RUN_LOCK_FILE)}: its run (pid ${holder.pid}) is no longer running`);
  assert.match(r.stderr, /^compbench: [^\n]*Unknown method 'gtpq'[^\n]*\n$/);
  assert.not.ok(existsSync(join(out, RUN_LOCK_FILE)), 'the lock goes with the run that failed');
});

test.run();
