import { createRequire } from 'node:module';
import { InfraError, InputError, messageOf } from '../../core/errors.js';

/** The part of a better-sqlite3 prepared statement the history store uses. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** The part of a better-sqlite3 database the history store uses. */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): void;
}

type DatabaseConstructor = new (file: string, options?: { fileMustExist?: boolean; readonly?: boolean }) => SqliteDatabase;

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

/** Opens (creating when absent) an SQLite file; a file that is not a database is an InputError. */
export function openSqlite(file: string, options: { fileMustExist?: boolean } = {}): SqliteDatabase {
  const Database = databaseConstructor();
  try {
    const db = new Database(file, { fileMustExist: options.fileMustExist ?? false });
    // Touch the file header now so "not a database" surfaces here, not in a later query.
    db.pragma('schema_version', { simple: true });
    return db;
  } catch (e) {
    throw new InputError(`${file}: cannot open as an SQLite history database (${messageOf(e)}) — give another --db file`);
  }
}
