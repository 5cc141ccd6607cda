import { createRequire } from 'node:module';
import { InfraError, InputError, messageOf } from '../../core/errors.js';

/** The part of a better-sqlite3 prepared statement the history store uses. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** A better-sqlite3 transaction function: deferred when called, or BEGIN IMMEDIATE. */
export interface SqliteTransaction<A extends unknown[], R> {
  (...args: A): R;
  immediate(...args: A): R;
}

/** The part of a better-sqlite3 database the history store uses. */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R>;
  close(): void;
}

type DatabaseConstructor = new (file: string, options?: { fileMustExist?: boolean; readonly?: boolean; timeout?: number }) => SqliteDatabase;

let constructor: DatabaseConstructor | undefined;

// Loaded through createRequire with a local interface: the package ships no types and
// @types/better-sqlite3 is not a dependency, so this keeps `tsc --strict` clean.
function databaseConstructor(): DatabaseConstructor {
  if (!constructor) {
    try {
      constructor = createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
    } catch (e) {
      throw new InfraError(`cannot load better-sqlite3 (${messageOf(e)}); run 'npm install' in the compbench folder`);
    }
  }
  return constructor;
}

/** How long one statement waits for another connection's lock (SQLite busy timeout). */
export const BUSY_TIMEOUT_MS = 20_000;

/** Opens (creating when absent) an SQLite file; a file that is not a database is an InputError. */
export function openSqlite(file: string, options: { fileMustExist?: boolean } = {}): SqliteDatabase {
  const Database = databaseConstructor();
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file, { fileMustExist: options.fileMustExist ?? false, timeout: BUSY_TIMEOUT_MS });
    // Touch the file header now so "not a database" surfaces here, not in a later query.
    db.pragma('schema_version', { simple: true });
    return db;
  } catch (e) {
    db?.close();
    if (isBusyError(e)) throw e;
    throw new InputError(`${file}: cannot open as an SQLite history database (${messageOf(e)}) — give another --db file`);
  }
}

/** True for SQLite's "another connection holds the lock" errors (SQLITE_BUSY*, SQLITE_LOCKED*). */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/u.test(code);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `attempt` again while SQLite answers busy, with jittered backoff, for up to
 * `deadlineMs`. The busy timeout already waits inside SQLite; this covers the cases
 * where SQLite gives up at once instead (switching a new file to WAL while others do,
 * a read transaction that cannot upgrade), which is how concurrent `history --add`s
 * into a new file used to lose nights.
 */
export function retryWhileBusy<T>(file: string, attempt: () => T, deadlineMs = 60_000): T {
  const start = Date.now();
  for (let tries = 0; ; tries++) {
    try {
      return attempt();
    } catch (e) {
      if (!isBusyError(e)) throw e;
      if (Date.now() - start > deadlineMs) {
        throw new InfraError(`${file}: the history database stayed locked by another writer for ${Math.round(deadlineMs / 1000)} s (${messageOf(e)}); try again`);
      }
      Atomics.wait(sleeper, 0, 0, Math.min(500, 10 * 2 ** Math.min(tries, 6)) * (0.5 + Math.random()));
    }
  }
}
