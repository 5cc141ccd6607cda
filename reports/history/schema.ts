/**
 * The history file's tables and how a file is opened (created, or migrated from an older
 * layout) safely while other processes do the same.
 *
 * Schema version {@link HISTORY_SCHEMA_VERSION}, kept in `meta`:
 * - `runs`: one row per night: id, created at, harness version and git sha, config and
 *   hardware hashes, complete, gate verdict, sha256 of run.json, folder, `status`
 *   (`accepted`: the reference later nights are compared with; `flagged`), the night it
 *   was compared with, the sign-off note of a flagged night accepted by hand, and
 *   `record_gz`: the run record without slices, comparisons or gate rules (gzip JSON).
 * - `cells`: one row per night × variant × suite × metric (value, CI, n, method, …).
 * - `instances`: one row per night × variant × suite: its per-instance outcomes
 *   (id, 16-hex instance hash prefix, scores; gzip JSON), for pairing nights by instance.
 * - `measurements`: one row per night × variant: the tracked figures, whether they were
 *   replayed from the measurement cache, and the energy provenance.
 */
import { InputError } from '../../core/errors.js';
import { openSqlite, retryWhileBusy, type SqliteDatabase } from './sqlite.js';

/** Version of the history tables; bump (with a migration below) on any incompatible change. */
export const HISTORY_SCHEMA_VERSION = 2;

const INSTANCES_TABLE = `CREATE TABLE instances (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  variant_id TEXT NOT NULL, suite_id TEXT NOT NULL, lines_gz BLOB NOT NULL,
  PRIMARY KEY (run_id, variant_id, suite_id)
);`;

function measurementsTable(name: string): string {
  return `CREATE TABLE ${name} (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  variant_id TEXT NOT NULL, state TEXT NOT NULL, replayed INTEGER NOT NULL DEFAULT 0,
  prefill_p50_ms REAL, decode_p50_ms REAL, decode_p99_ms REAL, tokens_per_s REAL,
  peak_rss_bytes INTEGER, joules_per_token REAL, energy_provenance TEXT, within_run_json TEXT,
  PRIMARY KEY (run_id, variant_id)
);`;
}

const CREATE_V2 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, harness_version TEXT NOT NULL, git_sha TEXT,
  config_hash TEXT NOT NULL, hardware_hash TEXT NOT NULL, complete INTEGER NOT NULL, verdict TEXT,
  run_json_sha256 TEXT NOT NULL, run_dir TEXT NOT NULL, appended_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'accepted', reference_run_id TEXT, accepted_note TEXT, record_gz BLOB
);
CREATE INDEX runs_by_date ON runs (created_at, run_id);
CREATE TABLE cells (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  variant_id TEXT NOT NULL, suite_id TEXT NOT NULL, metric TEXT NOT NULL, is_main INTEGER NOT NULL,
  state TEXT NOT NULL, value REAL, ci_low REAL, ci_high REAL, n INTEGER NOT NULL, too_few INTEGER NOT NULL,
  higher_is_better INTEGER NOT NULL, unit TEXT NOT NULL, method TEXT,
  PRIMARY KEY (run_id, variant_id, suite_id, metric)
);
CREATE INDEX cells_by_key ON cells (variant_id, suite_id, metric);
${measurementsTable('measurements')}
${INSTANCES_TABLE}
`;

// Version 1 had no instances, no night status and fewer measurement columns; its nights
// become accepted references (they were never compared by instance).
const MIGRATE_1_TO_2 = `
ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted';
ALTER TABLE runs ADD COLUMN reference_run_id TEXT;
ALTER TABLE runs ADD COLUMN accepted_note TEXT;
ALTER TABLE runs ADD COLUMN record_gz BLOB;
ALTER TABLE cells ADD COLUMN method TEXT;
${measurementsTable('measurements_v2')}
INSERT INTO measurements_v2 (run_id, variant_id, state, decode_p50_ms, decode_p99_ms, tokens_per_s, peak_rss_bytes, joules_per_token, energy_provenance)
  SELECT run_id, variant_id, state, decode_p50_ms, decode_p99_ms, tokens_per_s, peak_rss_bytes, joules_per_token, energy_provenance FROM measurements;
DROP TABLE measurements;
ALTER TABLE measurements_v2 RENAME TO measurements;
${INSTANCES_TABLE}
`;

/**
 * Opens the history database in WAL mode with foreign keys on, creating or migrating its
 * tables in one IMMEDIATE transaction, so that several processes opening a file that does
 * not exist yet create it once and the others wait. A file written by a newer compbench
 * is refused.
 */
export function openHistory(dbPath: string, options: { mustExist?: boolean } = {}): SqliteDatabase {
  return retryWhileBusy(dbPath, () => {
    const db = openSqlite(dbPath, { fileMustExist: options.mustExist });
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      // Readers of a current file take no write lock (a report may read a read-only copy).
      if (storedVersion(db) !== HISTORY_SCHEMA_VERSION) db.transaction(() => prepareTables(db, dbPath)).immediate();
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  });
}

function storedVersion(db: SqliteDatabase): number | null {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (!hasMeta) return null;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get() as { value: string } | undefined;
  return row === undefined ? null : Number(row.value);
}

// Runs inside the IMMEDIATE transaction, so the checks are repeated: another process may
// have created or migrated the tables since this one looked.
function prepareTables(db: SqliteDatabase, dbPath: string): void {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (!hasMeta) {
    const tables = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) throw new InputError(`${dbPath}: an SQLite file that is not a compbench history (no meta table); give another --db`);
    db.exec(CREATE_V2);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schemaVersion', ?)").run(String(HISTORY_SCHEMA_VERSION));
    return;
  }
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get() as { value: string } | undefined;
  const version = Number(row?.value);
  if (version === HISTORY_SCHEMA_VERSION) return;
  if (version === 1) {
    db.exec(MIGRATE_1_TO_2);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schemaVersion'").run(String(HISTORY_SCHEMA_VERSION));
    return;
  }
  throw new InputError(
    `${dbPath}: history schema version ${row?.value ?? '(none)'}, this compbench reads ${HISTORY_SCHEMA_VERSION}; use a matching compbench or another --db`,
  );
}
