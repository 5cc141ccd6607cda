/**
 * Real runs under faults (issue 21): a run killed after it marked its --out, a run that
 * hits a full disk, a read-only cache. The killed run blocks, deterministically, on a
 * calibration text that is a named pipe nobody writes (read to hash the variant), right
 * after it wrote its run state.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RUN_LOCK_FILE, RUN_STATE_FILE, type RunState } from '../../../core/run-state.js';
import { WRITE_FAULT_ENV } from '../../../core/write-fault.js';
import { PREVIOUS_RUN_DIR } from '../../../runners/matrix/output.js';
import { assertOneLineError, type CliResult } from '../../cli-helpers.js';
import { storiesDir, tempDir } from '../fixtures.js';
import { writeConfig, writeTinySuites } from './fixtures.js';

const test = suite('runners/matrix: faults in real runs');
const CLI = fileURLToPath(new URL('../../../cli.js', import.meta.url));

function cli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, COMPBENCH_DEBUG: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runIdIn(dir: string, file = 'run.json'): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { runId: string }).runId;
  } catch {
    return undefined;
  }
}

/** A config over stories260k whose perplexity gate passes (perplexity ≈ 3.55 < 100), and its policy as a file. */
function passingSetup(model: string, cache: string): { config: (calibrationFifo?: string) => string; policy: string } {
  const { ppl } = writeTinySuites(join(model, '..'));
  const spec = JSON.parse(readFileSync(join(ppl, 'suite.json'), 'utf8')) as object;
  writeFileSync(join(ppl, 'suite.json'), JSON.stringify({ ...spec, maxCiWidth: 5 }));
  const gatePolicy = { minN: 1, rules: [{ id: 'ppl', kind: 'ceiling', suite: 'stories-ppl', metric: 'perplexity', max: 100, minN: 1 }] };
  const policy = join(tempDir('policy'), 'policy.json');
  writeFileSync(policy, JSON.stringify(gatePolicy));
  const config = (calibrationFifo?: string): string =>
    writeConfig({
      models: [{ id: 'base', dir: model }],
      methods: [{ method: calibrationFifo ? 'gptq' : 'rtn', bits: 8, group: 'channel' }],
      ...(calibrationFifo ? { calibration: { textFile: calibrationFifo } } : {}),
      suites: [ppl], seed: 1, measurement: { enabled: false }, execution: { workers: 1 }, cacheDir: cache, gatePolicy,
    });
  return { config, policy };
}

test('kill -9 after the run marked its --out: every reader refuses the folder; the earlier record waits in previous-run/; the next run breaks the stale lock', async () => {
  const model = storiesDir('faults: kill -9 into a folder with an earlier run');
  if (!model) return;
  const { config, policy } = passingSetup(model, tempDir('cache'));
  const good = config();
  const out = tempDir('out');
  const first = cli(['run', '--config', good, '--out', out]);
  assert.is(first.code, 0, first.stderr + first.stdout);
  const earlier = runIdIn(out)!;
  assert.is(cli(['gate', out, '--policy', policy]).code, 0);

  const fifo = join(tempDir('fifo'), 'calibration.txt');
  execFileSync('mkfifo', [fifo]);
  const child = spawn(process.execPath, [CLI, 'run', '--config', config(fifo), '--out', out], { stdio: 'ignore', detached: true });
  let exited = false;
  const exit = new Promise((r) => child.once('exit', () => r((exited = true))));
  let state: RunState | undefined;
  for (let i = 0; i < 1200 && !exited; i++) {
    if (runIdIn(out, RUN_STATE_FILE) !== earlier && runIdIn(out, RUN_STATE_FILE) !== undefined) {
      state = JSON.parse(readFileSync(join(out, RUN_STATE_FILE), 'utf8')) as RunState;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(state && !exited, 'the run marked the folder and is blocked');
  process.kill(-child.pid!, 'SIGKILL');
  await exit;
  assert.equal([state!.state, state!.pid], ['running', child.pid]);
  assert.ok(existsSync(join(out, RUN_LOCK_FILE)), 'kill -9 leaves its lock');
  assert.not.ok(existsSync(join(out, 'run.json')), 'the earlier record is no longer where the killed run\'s would be');
  assert.is(runIdIn(join(out, PREVIOUS_RUN_DIR)), earlier);

  const killed = new RegExp(`run ${state!.runId} did not finish \\(its process ${child.pid} is gone`);
  assertOneLineError(cli(['gate', out, '--policy', policy]), killed);
  assertOneLineError(cli(['report', out, '--no-png']), killed);
  assertOneLineError(cli(['compare', join(out, PREVIOUS_RUN_DIR), out]), killed);
  assertOneLineError(cli(['history', '--db', join(tempDir('db'), 'h.sqlite'), '--add', out]), killed);
  const previous = cli(['gate', join(out, PREVIOUS_RUN_DIR), '--policy', policy]);
  assert.is(previous.code, 0, previous.stderr);

  const next = cli(['run', '--config', good, '--out', out]);
  assert.is(next.code, 0, next.stderr + next.stdout);
  assert.match(next.stdout, `broke the stale lock ${join(out, RUN_LOCK_FILE)}: its run (pid ${child.pid}) is no longer running`);
  assert.not.ok(existsSync(join(out, RUN_LOCK_FILE)), 'released at the end');
  assert.is(runIdIn(out), runIdIn(out, RUN_STATE_FILE));
  assert.match(cli(['gate', out, '--policy', policy]).stdout, /gate: PASS/);
});

test('a full disk part-way through a run: one line naming the file and --out, exit 2; the folder is marked failed and the gate refuses it', () => {
  const model = storiesDir('faults: full disk during a run');
  if (!model) return;
  const { config, policy } = passingSetup(model, tempDir('cache'));
  const good = config();
  const out = tempDir('out');
  assert.is(cli(['run', '--config', good, '--out', out]).code, 0);
  const r = cli(['run', '--config', good, '--out', out], { [WRITE_FAULT_ENV]: 'ENOSPC:instances.jsonl' });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^compbench: cannot write ${join(out, 'instances.jsonl')} \\(the disk is full, ENOSPC\\); free disk space or choose another folder with --out\\n$`));
  const state = JSON.parse(readFileSync(join(out, RUN_STATE_FILE), 'utf8')) as RunState;
  assert.is(state.state, 'failed');
  assert.not.ok(existsSync(join(out, RUN_LOCK_FILE)));
  assertOneLineError(cli(['gate', out, '--policy', policy]), new RegExp(`run ${state.runId} failed before writing its record \\(cannot write [^\\n]*instances\\.jsonl \\(the disk is full`));
  assert.is(cli(['gate', join(out, PREVIOUS_RUN_DIR), '--policy', policy]).code, 0, 'the earlier run is kept whole');
});

test('a read-only cache folder is named as --cache-dir, before any work', () => {
  const model = storiesDir('faults: read-only cache');
  if (!model) return;
  const cache = tempDir('cache');
  const { config } = passingSetup(model, cache);
  const r = cli(['run', '--config', config(), '--out', tempDir('out'), '--cache-dir', join(cache, 'ro')], { [WRITE_FAULT_ENV]: `EROFS:${join(cache, 'ro')}` });
  assertOneLineError(r, new RegExp(`${join(cache, 'ro')}: folder is not writable \\(read-only file system in ${cache}, EROFS\\); make ${cache} writable or choose another folder with --cache-dir\\n$`));
});

test.run();
