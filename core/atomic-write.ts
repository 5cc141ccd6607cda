/**
 * Every file compbench writes for a user (run record, instances, report, charts, CSV,
 * change records, cache entries) goes through {@link writeFileAtomic}: a temporary file
 * in the same folder, fsync, rename, fsync of the folder. A crash or a full disk leaves
 * the old file or none, never half of one. Disk-full, permission and read-only errors
 * become one-line InputErrors naming the path and the flag that chose it (exit 2);
 * anything else stays an InfraError (exit 3), so "internal error" is kept for bugs.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { InfraError, InputError, messageOf } from './errors.js';
import { errnoError, injectedWriteFault } from './write-fault.js';

/** Where a path came from, so a message can say how to choose another one. */
export interface WriteOrigin {
  /** The flag that chose the folder, e.g. `--out`, `--cache-dir`, `--change-log-dir`. */
  readonly flag: string;
  /** True when the folder is the flag's value itself (the message then starts with `FLAG DIR:`). */
  readonly given?: boolean;
  /** Replaces "choose another folder with FLAG" where no other folder can be chosen. */
  readonly alternative?: string;
}

/** What each errno a user can fix means, in words. */
const USER_FIXABLE: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a parent of it is a file',
};

let counter = 0;

/**
 * Writes `data` to `path` through `.<name>.<thread>-<n>.tmp-<pid>` in the same folder (the
 * `.tmp-<pid>` ending lets a later run recognise a dead process's debris; the worker
 * thread's id keeps two threads of one process that write the same file, such as two
 * baselines with identical bytes, off each other's temporary file), fsyncs it,
 * renames it over `path` and fsyncs the folder. On failure the temporary file is removed
 * and the old `path`, if any, is untouched.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, origin: WriteOrigin): void {
  const target = resolve(path);
  const tmp = join(dirname(target), `.${basename(target)}.${threadId}-${counter++}.tmp-${process.pid}`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = openSync(tmp, 'w');
    try {
      const fault = injectedWriteFault(target);
      // A fault lands half-way, as a full disk does, to prove the target is never torn.
      const end = fault ? bytes.length >> 1 : bytes.length;
      for (let at = 0; at < end; ) at += writeSync(fd, bytes, at, end - at);
      if (fault) throw errnoError(fault, 'write', target);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeFailure(e, target, dirname(target), origin);
  }
  syncFolder(dirname(target));
}

/**
 * Creates `dir` level by level (never recursive mkdir: Node 20 hangs on it under /proc)
 * and proves it writable with a probe file; returns it resolved. Every problem is a
 * one-line error naming the folder (see {@link writeFailure}).
 */
export function ensureWritableDir(dir: string, origin: WriteOrigin): string {
  const abs = resolve(dir);
  const missing: string[] = [];
  let probe = abs;
  while (!existsSync(probe)) {
    missing.unshift(probe);
    const up = dirname(probe);
    if (up === probe) break;
    probe = up;
  }
  if (!statSync(probe).isDirectory()) throw folderFailure(errnoError('ENOTDIR', 'mkdir', abs), abs, `${probe} is a file`, probe, origin);
  // The folder that refused: the parent of the one being created, or the target itself.
  let blocking = probe;
  try {
    for (const d of missing) {
      const fault = injectedWriteFault(d);
      if (fault) throw errnoError(fault, 'mkdir', d);
      mkdirSync(d);
      blocking = d;
    }
    const file = join(abs, `.write-test-${process.pid}`);
    const fault = injectedWriteFault(file);
    if (fault) throw errnoError(fault, 'open', file);
    closeSync(openSync(file, 'w'));
    rmSync(file);
  } catch (e) {
    const why = USER_FIXABLE[codeOf(e)] ?? messageOf(e);
    throw folderFailure(e, abs, blocking === abs ? why : `${why} in ${blocking}`, blocking, origin);
  }
  return abs;
}

/**
 * The error for a failed write of `path` in `folder`: an InputError (exit 2) with the
 * path, the cause and the fix when the user can fix it (full disk, permissions, read-only
 * or missing folder); otherwise an InfraError (exit 3).
 */
export function writeFailure(e: unknown, path: string, folder: string, origin: WriteOrigin): Error {
  if (e instanceof InputError || e instanceof InfraError) return e;
  const code = codeOf(e);
  const reason = USER_FIXABLE[code];
  if (!reason) return new InfraError(`cannot write ${path}: ${messageOf(e)}`, { cause: e });
  return new InputError(`cannot write ${path} (${reason}, ${code}); ${fixFor(code, folder, origin)}`);
}

function folderFailure(e: unknown, dir: string, why: string, blocking: string, origin: WriteOrigin): Error {
  const code = codeOf(e);
  if (!USER_FIXABLE[code]) return new InfraError(`cannot create or write the folder ${dir}: ${messageOf(e)}`, { cause: e });
  const head = origin.given ? `${origin.flag} ${dir}` : dir;
  return new InputError(`${head}: folder is not writable (${why}, ${code}); ${fixFor(code, blocking, origin)}`);
}

function fixFor(code: string, folder: string, origin: WriteOrigin): string {
  const other = origin.alternative ?? `choose another folder with ${origin.flag}`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `free disk space or ${other}`;
  if (code === 'ENOENT') return `create ${folder} or ${other}`;
  if (code === 'ENOTDIR') return other;
  return `make ${folder} writable or ${other}`;
}

function codeOf(e: unknown): string {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : '';
}

/** Makes the rename durable; some file systems cannot fsync a folder, which costs only durability. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL on file systems without folder fsync: the rename itself has happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
