/**
 * One run at a time per output folder: `run.lock` holds the writer's pid and host. It is
 * created whole or not at all (written to a temporary file, then hard-linked into place,
 * which fails if the lock exists), so a reader never sees an empty lock. A lock whose
 * process is dead on this host is stale and broken with a message; a live one refuses
 * the second run. Breaking a stale lock while two new runs start at the same instant is
 * not guarded against.
 */
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFailure, writeFileAtomic, type WriteOrigin } from '../../core/atomic-write.js';
import { InputError } from '../../core/errors.js';
import { RUN_LOCK_FILE, writerAlive } from '../../core/run-state.js';

/** A held lock; `release` is idempotent and also runs when the process exits. */
export interface RunLock {
  readonly file: string;
  release(): void;
}

interface LockBody {
  readonly pid?: number;
  readonly hostname?: string;
  readonly startedAt?: string;
}

const OUT: WriteOrigin = { flag: '--out' };

/**
 * Takes the lock of `outDir` (which must exist) or throws a one-line InputError naming
 * the run that holds it. A stale lock (its pid is dead here) is removed first, and `log`
 * says so.
 */
export function acquireRunLock(outDir: string, log: (line: string) => void): RunLock {
  const file = join(outDir, RUN_LOCK_FILE);
  const body: LockBody = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  const tmp = join(outDir, `.${RUN_LOCK_FILE}.tmp-${process.pid}`);
  writeFileAtomic(tmp, `${JSON.stringify(body)}\n`, OUT);
  try {
    for (let attempt = 0; ; attempt++) {
      if (createExclusive(tmp, file, body)) return heldLock(file);
      const holder = readLock(file);
      if (!holder && !existsSync(file) && attempt < 3) continue; // released while we looked
      const alive = holder ? writerAlive(holder.pid, holder.hostname) : undefined;
      const who = holder ? `pid ${holder.pid ?? '?'} on ${holder.hostname ?? '?'}, since ${holder.startedAt ?? '?'}` : 'unreadable lock';
      if (alive === true) {
        throw new InputError(`--out ${outDir}: another compbench run (${who}) is writing this folder (lock ${file}); wait for it to finish or choose another folder with --out`);
      }
      if (alive === undefined || attempt >= 3) {
        throw new InputError(`--out ${outDir}: locked by a run this host cannot check (${who}, ${file}); if no run is writing there, delete ${file}, or choose another folder with --out`);
      }
      rmSync(file, { force: true });
      log(`broke the stale lock ${file}: its run (pid ${holder!.pid}) is no longer running`);
    }
  } catch (e) {
    throw writeFailure(e, file, outDir, OUT);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Creates the lock with its content in one step; false when it already exists. */
function createExclusive(tmp: string, file: string, body: LockBody): boolean {
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
  }
  // No hard links on this file system: O_EXCL create, content a moment later.
  try {
    writeFileSync(file, `${JSON.stringify(body)}\n`, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function heldLock(file: string): RunLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Never remove a lock another run took after ours was broken.
    if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { file, release };
}

function readLock(file: string): LockBody | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as LockBody | null;
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
