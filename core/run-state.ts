/**
 * Which run an output folder belongs to, and whether that run finished writing it.
 * `compbench run` writes `run-state.json` first (its runId, state `running`, its pid) and
 * `finished` only after run.json is in place; `gate`, `report`, `compare` and
 * `history --add` read it here and refuse a folder whose run did not finish or whose
 * run.json is an earlier run's. Writers live in runners/matrix/output.ts; this file is
 * in core so that reports can check without importing runners.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InputError, messageOf } from './errors.js';

/** The state file of a run folder. */
export const RUN_STATE_FILE = 'run-state.json';

/** The lock file a run holds in its output folder while it writes there. */
export const RUN_LOCK_FILE = 'run.lock';

/**
 * How far a run got in writing its folder. `finished`: run.json was written in full,
 * whether or not every cell is ok (that is the record's own `complete`, and the gate
 * fails closed on errored cells). `running`: started and not finished (a live run, or
 * one that was killed). `failed`: stopped by an error before its record was written.
 */
export type RunProgress = 'running' | 'finished' | 'failed';

/** The content of `run-state.json`; `--resume` also reads it to continue a run under its id. */
export interface RunState {
  readonly runId: string;
  readonly state: RunProgress;
  readonly createdAt: string;
  /** When the state last changed. */
  readonly updatedAt: string;
  /** The process that wrote the folder, and its host (a pid means nothing on another host). */
  readonly pid: number;
  readonly hostname: string;
  /** sha256 of the resolved config: a resumed run must use the same one. */
  readonly configSha256: string;
  readonly cacheDir: string;
  /** Why the run failed (state `failed`). */
  readonly error?: string;
}

/**
 * The state file as read: a current one, or one written before states existed (only a
 * runId, with `state` absent), which is judged by its runId alone.
 */
export type StoredRunState = RunState | (Partial<RunState> & { readonly runId: string; readonly state?: undefined });

/** The saved state of `runDir`, or undefined when it has none (a run record standing alone). */
export function readRunState(runDir: string): StoredRunState | undefined {
  const file = join(runDir, RUN_STATE_FILE);
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: unreadable run state (${messageOf(e)}); run 'compbench run --out ${runDir}' again to rewrite the folder`);
  }
  const v = value as Partial<RunState> | null;
  const states: readonly unknown[] = ['running', 'finished', 'failed', undefined];
  if (typeof v !== 'object' || v === null || typeof v.runId !== 'string' || !states.includes(v.state)) {
    throw new InputError(`${file}: not a compbench run state (needs a string 'runId' and 'state' running|finished|failed); run 'compbench run --out ${runDir}' again`);
  }
  return v as StoredRunState;
}

/** True when a process with this pid exists on this host (EPERM: it exists, owned by another user). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the writer of a state or lock is alive: undefined when it ran on another host. */
export function writerAlive(pid: number | undefined, host: string | undefined): boolean | undefined {
  if (host !== undefined && host !== hostname()) return undefined;
  return pid !== undefined && isProcessAlive(pid);
}

/**
 * Refuses (InputError, exit 2) a run folder whose run has not finished writing it, and,
 * with `recordRunId`, a run.json that belongs to another run than the folder's last one.
 * A folder without run-state.json passes: its run.json is the only record there is.
 */
export function assertRunFinished(runDir: string, recordRunId?: string): void {
  const state = readRunState(runDir);
  if (!state) return;
  const id = state.runId;
  if (state.state === 'running') {
    const alive = writerAlive(state.pid, state.hostname);
    if (alive === true) throw new InputError(`${runDir}: run ${id} is still writing this folder (pid ${state.pid}, see ${RUN_STATE_FILE}); wait for it to finish, then retry`);
    const gone = alive === false ? `its process ${state.pid ?? '?'} is gone` : `it ran on host ${state.hostname} and never finished`;
    throw new InputError(`${runDir}: run ${id} did not finish (${gone}: killed or crashed), so the folder holds no record of it; finish it with 'compbench run --resume --out ${runDir}' (same --config) or run again`);
  }
  if (state.state === 'failed') {
    throw new InputError(`${runDir}: run ${id} failed before writing its record (${state.error ?? 'no reason recorded'}); fix that and run again, or finish it with 'compbench run --resume --out ${runDir}'`);
  }
  if (recordRunId !== undefined && recordRunId !== id) {
    throw new InputError(`${runDir}: run.json belongs to run ${recordRunId}, but the folder's last run is ${id} (${RUN_STATE_FILE}); the record is stale, run 'compbench run --out ${runDir}' again`);
  }
}
