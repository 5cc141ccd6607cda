/**
 * The output folder: checked for writability before any work, files written through a
 * temporary file and a rename (a full disk never corrupts what was already there), and
 * `run-state.json`, which lets `--resume` finish an interrupted run under the same id.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';

/**
 * Creates the output folder level by level (never `mkdir -p`: Node 20 hangs on
 * recursive mkdir under /proc) after checking that the nearest existing ancestor is a
 * writable folder. Every problem is an InputError naming the folder.
 */
export function ensureOutDir(outDir: string): string {
  const dir = resolve(outDir);
  const missing: string[] = [];
  let probe = dir;
  while (!existsSync(probe)) {
    missing.unshift(probe);
    const up = dirname(probe);
    if (up === probe) break;
    probe = up;
  }
  const fail = (why: string): never => {
    throw new InputError(`--out ${dir}: output folder is not writable (${why}); choose another folder with --out`);
  };
  if (!statSync(probe).isDirectory()) fail(`${probe} is a file`);
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    fail(`${probe} denies write access`);
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      fail(messageOf(e));
    }
  }
  try {
    const probeFile = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probeFile, '');
    rmSync(probeFile);
  } catch (e) {
    fail(messageOf(e));
  }
  return dir;
}

/** Writes via a temporary file and a rename; a failure (e.g. ENOSPC) leaves the old file intact. */
export function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`cannot write ${path}: ${messageOf(e)}; free disk space or choose another --out`);
  }
}

/** What `--resume` needs to finish a run as the one that was interrupted. */
export interface RunState {
  readonly runId: string;
  readonly createdAt: string;
  /** sha256 of the resolved config: a resumed run must use the same one. */
  readonly configSha256: string;
  readonly cacheDir: string;
  readonly complete: boolean;
}

/** The state file of an output folder. */
export function runStateFile(outDir: string): string {
  return join(outDir, 'run-state.json');
}

/** The saved state, or undefined when there is none. */
export function readRunState(outDir: string): RunState | undefined {
  const file = runStateFile(outDir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunState;
  } catch (e) {
    throw new InputError(`${file}: unreadable run state (${messageOf(e)}); run without --resume to start over`);
  }
}

/**
 * The identity of this run: a fresh one, or with `resume`, the interrupted run's (the
 * config must not have changed; there must be a run to resume).
 */
export function startRunState(outDir: string, configSha256: string, cacheDir: string, resume: boolean): RunState {
  const now = new Date();
  if (resume) {
    const old = readRunState(outDir);
    if (!old) throw new InputError(`--resume: ${outDir} holds no interrupted run (no run-state.json); run without --resume`);
    if (old.configSha256 !== configSha256) {
      throw new InputError(`--resume: the config (or --limit) changed since the run in ${outDir} started; run without --resume to start a new run there`);
    }
    return { ...old, cacheDir: old.cacheDir, complete: false };
  }
  const state: RunState = { runId: now.toISOString().replace(/[:.]/gu, '-'), createdAt: now.toISOString(), configSha256, cacheDir, complete: false };
  writeAtomically(runStateFile(outDir), `${JSON.stringify(state, null, 1)}\n`);
  return state;
}
