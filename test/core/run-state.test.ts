import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../core/errors.js';
import { assertRunFinished, isProcessAlive, readRunState, RUN_LOCK_FILE, RUN_STATE_FILE, type RunState } from '../../core/run-state.js';
import { assertOneLineError, cli } from '../cli-helpers.js';
import { cell, flipped, ones, runRecord, writeRunDir } from '../reports/gate/fixtures.js';

const test = suite('core/run-state');

/** A pid that surely belonged to a process and no longer does. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid;
}

function state(runId: string, progress: RunState['state'], pid = process.pid, extra: Partial<RunState> = {}): RunState {
  const at = '2026-01-02T03:04:05.000Z';
  return { runId, state: progress, createdAt: at, updatedAt: at, pid, hostname: hostname(), configSha256: 'c'.repeat(64), cacheDir: '/cache', ...extra };
}

function writeState(dir: string, s: object): void {
  writeFileSync(join(dir, RUN_STATE_FILE), `${JSON.stringify(s, null, 1)}\n`);
}

const refused = (pattern: RegExp) => (e: Error) => e instanceof InputError && pattern.test(e.message) && !e.message.includes('\n');

test('a folder without run-state.json passes: its run.json is the only record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-state-'));
  assert.is(readRunState(dir), undefined);
  assertRunFinished(dir, 'any-run');
});

test('running with a dead pid: did not finish; with a live pid: still writing; failed: refused with the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-state-'));
  const dead = deadPid();
  assert.not.ok(isProcessAlive(dead));
  writeState(dir, state('new-run', 'running', dead));
  assert.throws(() => assertRunFinished(dir), refused(new RegExp(`run new-run did not finish \\(its process ${dead} is gone.*--resume --out`)));
  writeState(dir, state('new-run', 'running', process.pid));
  assert.throws(() => assertRunFinished(dir, 'new-run'), refused(/run new-run is still writing this folder \(pid \d+/));
  writeState(dir, state('new-run', 'running', 1, { hostname: 'elsewhere' }));
  assert.throws(() => assertRunFinished(dir), refused(/ran on host elsewhere and never finished/));
  writeState(dir, state('new-run', 'failed', process.pid, { error: 'the worker host process failed: write EPIPE' }));
  assert.throws(() => assertRunFinished(dir), refused(/run new-run failed before writing its record \(the worker host process failed: write EPIPE\)/));
});

test('finished: the record must be that run\'s; a state written before states existed is judged by its runId', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-state-'));
  writeState(dir, state('run-b', 'finished'));
  assertRunFinished(dir, 'run-b');
  assert.throws(() => assertRunFinished(dir, 'run-a'), refused(/run\.json belongs to run run-a, but the folder's last run is run-b/));
  writeState(dir, { runId: 'run-b', createdAt: 'x', configSha256: 'c', cacheDir: '/c', complete: false });
  assertRunFinished(dir, 'run-b');
  assert.throws(() => assertRunFinished(dir, 'run-a'), refused(/belongs to run run-a/));
  writeFileSync(join(dir, RUN_STATE_FILE), '{"runId": 3}');
  assert.throws(() => assertRunFinished(dir), refused(/not a compbench run state/));
  writeFileSync(join(dir, RUN_STATE_FILE), '{"runId": "x", "sta');
  assert.throws(() => assertRunFinished(dir), refused(/unreadable run state/));
});

// The CLI side: a folder holding an earlier finished, passing run, then a run killed after
// it marked the folder (as `kill -9` leaves it: state running, a dead pid, a stale lock).
const BASE = ones(80, 100);
const PASSING = { rules: [{ id: 'qa.ni', kind: 'noninferiority', suite: 'qa', metric: 'acc', margin: 0.05 }] };

function earlierPassingRun(runId: string): { dir: string; policy: string } {
  const record = { ...runRecord('teacher', [cell('teacher', 'qa', [{ metric: 'acc', scores: BASE }]), cell('teacher/w4', 'qa', [{ metric: 'acc', scores: flipped(BASE, 1) }], [{ metric: 'acc', scores: BASE }])]), runId };
  const dir = writeRunDir(record);
  writeState(dir, state(runId, 'finished'));
  const policy = join(mkdtempSync(join(tmpdir(), 'compbench-policy-')), 'policy.json');
  writeFileSync(policy, JSON.stringify(PASSING));
  return { dir, policy };
}

test('CLI: gate passes the earlier finished run, then refuses it once a killed run has marked the folder (exit 2, one line)', () => {
  const { dir, policy } = earlierPassingRun('run-earlier');
  assert.is(cli('gate', dir, '--policy', policy).code, 0);
  const dead = deadPid();
  writeState(dir, state('run-killed', 'running', dead));
  writeFileSync(join(dir, RUN_LOCK_FILE), JSON.stringify({ pid: dead, hostname: hostname(), startedAt: 'x' }));
  const before = readFileSync(join(dir, 'run.json'), 'utf8');
  assertOneLineError(cli('gate', dir, '--policy', policy), /run run-killed did not finish/);
  assertOneLineError(cli('gate', join(dir, 'run.json'), '--policy', policy), /run run-killed did not finish/);
  assert.is(readFileSync(join(dir, 'run.json'), 'utf8'), before, 'the old record is not re-gated');
});

test('CLI: report, compare and history --add refuse a killed run\'s folder too', () => {
  const { dir } = earlierPassingRun('run-earlier');
  const other = earlierPassingRun('run-other').dir;
  writeState(dir, state('run-killed', 'running', deadPid()));
  assertOneLineError(cli('report', dir, '--no-png'), /run run-killed did not finish/);
  assertOneLineError(cli('report', other, '--no-png', '--baseline-run', dir), /run run-killed did not finish/);
  assertOneLineError(cli('compare', other, dir), /run run-killed did not finish/);
  const db = join(mkdtempSync(join(tmpdir(), 'compbench-db-')), 'history.sqlite');
  assertOneLineError(cli('history', '--db', db, '--add', dir), /run run-killed did not finish/);
});

test('CLI: a run.json of another run than the finished state names both runs, in every reader', () => {
  const { dir, policy } = earlierPassingRun('run-earlier');
  const copy = mkdtempSync(join(tmpdir(), 'compbench-stale-'));
  cpSync(dir, copy, { recursive: true });
  writeState(copy, state('run-later', 'finished'));
  const stale = /run\.json belongs to run run-earlier, but the folder's last run is run-later/;
  assertOneLineError(cli('gate', copy, '--policy', policy), stale);
  assertOneLineError(cli('report', copy, '--no-png'), stale);
  assertOneLineError(cli('compare', dir, copy), stale);
  assertOneLineError(cli('history', '--db', join(copy, 'h.sqlite'), '--add', copy), stale);
});

test.run();
