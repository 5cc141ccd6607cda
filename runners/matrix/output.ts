/**
 * The output folder of a run: checked for writability before any work, files written
 * atomically (core/atomic-write.ts), and `run-state.json` (core/run-state.ts), written
 * before any output so that readers can tell a finished run from a killed one, and
 * `--resume` can finish an interrupted run under the same id.
 */
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ensureWritableDir, writeFailure, writeFileAtomic, type WriteOrigin } from '../../core/atomic-write.js';
import { InputError, messageOf } from '../../core/errors.js';
import { RUN_STATE_FILE, readRunState as readStoredRunState, type RunState } from '../../core/run-state.js';

export type { RunState } from '../../core/run-state.js';

/** Paths under `--out` come from that flag. */
const OUT: WriteOrigin = { flag: '--out' };

/** The outputs of one run in its folder; an earlier run's are set aside before a new run writes. */
export const RUN_OUTPUTS = ['run.json', 'instances.jsonl', 'report', 'gate.txt', 'summary.txt'] as const;

/** Where an earlier run's record is moved when a new run starts in the same folder. */
export const PREVIOUS_RUN_DIR = 'previous-run';

/** Creates the output folder and proves it writable; every problem is one line naming `--out`. */
export function ensureOutDir(outDir: string): string {
  return ensureWritableDir(outDir, { ...OUT, given: true });
}

/** Writes a file under `--out` atomically; a failure (e.g. ENOSPC) leaves the old file intact. */
export function writeAtomically(path: string, text: string): void {
  writeFileAtomic(path, text, OUT);
}

/** The state file of an output folder. */
export function runStateFile(outDir: string): string {
  return join(outDir, RUN_STATE_FILE);
}

/** The saved state, or undefined when there is none. */
export function readRunState(outDir: string): RunState | undefined {
  const stored = readStoredRunState(outDir);
  return stored as RunState | undefined;
}

/**
 * Marks `outDir` as being written by this run (state `running`, this pid) before any
 * output, after setting aside an earlier run's files. The identity is fresh, or with
 * `resume` the interrupted run's (the config must not have changed; there must be a run
 * to resume). Call with the folder's lock held.
 */
export function startRunState(outDir: string, configSha256: string, cacheDir: string, resume: boolean, log: (line: string) => void = () => {}): RunState {
  const now = new Date();
  const old = readStoredRunState(outDir);
  let identity: { runId: string; createdAt: string };
  if (resume) {
    if (!old) throw new InputError(`--resume: ${outDir} holds no interrupted run (no ${RUN_STATE_FILE}); run without --resume`);
    if (old.configSha256 !== configSha256) {
      throw new InputError(`--resume: the config (or --limit) changed since the run in ${outDir} started; run without --resume to start a new run there`);
    }
    identity = { runId: old.runId, createdAt: old.createdAt ?? now.toISOString() };
  } else {
    identity = { runId: freshRunId(now, [old?.runId, runIdOf(join(outDir, 'run.json'))]), createdAt: now.toISOString() };
  }
  setAsideEarlierRun(outDir, identity.runId, resume, log);
  const state: RunState = { ...identity, state: 'running', updatedAt: now.toISOString(), pid: process.pid, hostname: hostname(), configSha256, cacheDir };
  writeRunState(outDir, state);
  return state;
}

/** Marks the run finished: call only after run.json is in place. */
export function finishRunState(outDir: string, state: RunState): RunState {
  const finished: RunState = { ...state, state: 'finished', updatedAt: new Date().toISOString() };
  writeRunState(outDir, finished);
  return finished;
}

/**
 * Marks the folder's run failed when it is this process's running run (a run that fails
 * before it started, e.g. on a config error, has nothing to mark). Never throws: the
 * original error is what the user must see.
 */
export function failRunState(outDir: string, error: unknown): void {
  try {
    const state = readStoredRunState(outDir);
    if (state?.state !== 'running' || state.pid !== process.pid) return;
    writeRunState(outDir, { ...state, state: 'failed', updatedAt: new Date().toISOString(), error: messageOf(error) });
  } catch {
    // The folder stays marked running; readers refuse it all the same.
  }
}

function writeRunState(outDir: string, state: RunState): void {
  writeAtomically(runStateFile(outDir), `${JSON.stringify(state, null, 1)}\n`);
}

/**
 * Makes sure nothing in `outDir` can pass for the run about to start. An earlier run's
 * record (run.json with another runId) is moved with its instances, report and state
 * into `previous-run/` (replacing the one before), where it stays readable. Outputs
 * without a record (a run killed before writing run.json) are deleted. On `resume`, the
 * interrupted run's own files stay: the run rewrites them.
 */
export function setAsideEarlierRun(outDir: string, runId: string, resume: boolean, log: (line: string) => void): void {
  const runJson = join(outDir, 'run.json');
  const recordId = existsSync(runJson) ? runIdOf(runJson) : undefined;
  if (resume && (recordId === runId || !existsSync(runJson))) return;
  const present = [...RUN_OUTPUTS, ...(resume ? [] : [RUN_STATE_FILE])].filter((name) => existsSync(join(outDir, name)));
  if (present.length === 0) return;
  try {
    if (!existsSync(runJson)) {
      for (const name of present) if (name !== RUN_STATE_FILE) rmSync(join(outDir, name), { recursive: true, force: true });
      return;
    }
    const dest = join(outDir, PREVIOUS_RUN_DIR);
    rmSync(dest, { recursive: true, force: true });
    ensureWritableDir(dest, OUT);
    for (const name of present) renameSync(join(outDir, name), join(dest, name));
    log(`moved the earlier run ${recordId ?? '(unreadable run.json)'} (${present.join(', ')}) to ${dest}`);
  } catch (e) {
    throw writeFailure(e, outDir, outDir, OUT);
  }
}

/** The time as an id, never one the folder already holds (two runs in one millisecond). */
function freshRunId(now: Date, taken: readonly (string | undefined)[]): string {
  const stamp = now.toISOString().replace(/[:.]/gu, '-');
  let id = stamp;
  for (let n = 1; taken.includes(id); n++) id = `${stamp}-${n}`;
  return id;
}

function runIdOf(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const id = (JSON.parse(readFileSync(file, 'utf8')) as { runId?: unknown }).runId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
