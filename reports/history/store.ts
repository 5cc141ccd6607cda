/**
 * The run history store: one SQLite file (default `runs/history.sqlite`) that the
 * nightly job appends each run to, and `compbench history` reads trends from.
 *
 * Why SQLite (through better-sqlite3): the history is one portable file a CI job can
 * cache or archive; appends are transactional, so a crash mid-append leaves the
 * previous history intact and never half a run; trends are plain SQL queries over
 * indexed tables instead of re-reading every run folder; and there is no server to
 * run. WAL mode lets a reader (a report) query while the nightly job writes.
 *
 * Tables (schema version {@link HISTORY_SCHEMA_VERSION}, kept in `meta`):
 * - `meta(key, value)`: `schemaVersion`.
 * - `runs`: one row per run (id, created at, harness version and git sha, config and
 *   hardware fingerprint hashes, complete, gate verdict, sha256 of run.json, folder).
 * - `cells`: one row per run × variant × suite × metric: value, CI low/high, n, tooFew,
 *   higher-is-better, whether it is the suite's main (first) metric, state.
 * - `measurements`: one row per run × variant: decode p50/p99 ms, tokens/s, peak RSS
 *   bytes, joules/token and the energy figure's provenance, state.
 */
import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { MeasurementRecord, RunRecord } from '../../core/run-record.js';
import { cellMetrics } from '../compare/cell-metrics.js';
import { canonicalHash } from '../compare/json-diff.js';
import { readRunRecord } from '../compare/load-run.js';
import { createHash } from 'node:crypto';
import { openSqlite, type SqliteDatabase } from './sqlite.js';

/** Version of the history tables; bump (with a migration) on any incompatible change. */
export const HISTORY_SCHEMA_VERSION = 1;

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  harness_version TEXT NOT NULL,
  git_sha TEXT,
  config_hash TEXT NOT NULL,
  hardware_hash TEXT NOT NULL,
  complete INTEGER NOT NULL,
  verdict TEXT,
  run_json_sha256 TEXT NOT NULL,
  run_dir TEXT NOT NULL,
  appended_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_date ON runs (created_at, run_id);
CREATE TABLE IF NOT EXISTS cells (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  variant_id TEXT NOT NULL,
  suite_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  is_main INTEGER NOT NULL,
  state TEXT NOT NULL,
  value REAL,
  ci_low REAL,
  ci_high REAL,
  n INTEGER NOT NULL,
  too_few INTEGER NOT NULL,
  higher_is_better INTEGER NOT NULL,
  unit TEXT NOT NULL,
  PRIMARY KEY (run_id, variant_id, suite_id, metric)
);
CREATE INDEX IF NOT EXISTS cells_by_key ON cells (variant_id, suite_id, metric);
CREATE TABLE IF NOT EXISTS measurements (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  variant_id TEXT NOT NULL,
  state TEXT NOT NULL,
  decode_p50_ms REAL,
  decode_p99_ms REAL,
  tokens_per_s REAL,
  peak_rss_bytes INTEGER,
  joules_per_token REAL,
  energy_provenance TEXT,
  PRIMARY KEY (run_id, variant_id)
);
`;

/**
 * Opens the history database, creating its tables on first use (in one transaction),
 * in WAL mode with foreign keys on. A file written by a newer compbench is refused.
 */
export function openHistory(dbPath: string, options: { mustExist?: boolean } = {}): SqliteDatabase {
  const db = openSqlite(dbPath, { fileMustExist: options.mustExist });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.transaction(() => {
      db.exec(SCHEMA_SQL);
      const row = db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get() as { value: string } | undefined;
      if (row === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('schemaVersion', ?)").run(String(HISTORY_SCHEMA_VERSION));
      else if (Number(row.value) !== HISTORY_SCHEMA_VERSION) {
        throw new InputError(
          `${dbPath}: history schema version ${row.value}, this compbench reads ${HISTORY_SCHEMA_VERSION}; use a matching compbench or another --db`,
        );
      }
    })();
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** What {@link appendRun} did. */
export interface AppendResult {
  readonly runId: string;
  /**
   * `added`: new run. `unchanged`: this run id with byte-identical run.json is already
   * recorded, so nothing was written (appending is idempotent). `updated`: the id was
   * recorded from a different run.json (e.g. a resumed run that finished more cells):
   * its rows were replaced in one transaction.
   */
  readonly status: 'added' | 'unchanged' | 'updated';
}

/** Records the run in `runDir` (validated run.json) in the history at `dbPath`. */
export function appendRun(dbPath: string, runDir: string): AppendResult {
  const { record, text } = readRunRecord(runDir);
  const db = openHistory(dbPath);
  try {
    return appendRecord(db, record, createHash('sha256').update(text).digest('hex'), resolve(runDir));
  } finally {
    db.close();
  }
}

/** Writes one run record into an open history (one transaction); see {@link appendRun}. */
export function appendRecord(db: SqliteDatabase, record: RunRecord, runJsonSha256: string, runDir: string): AppendResult {
  return db.transaction((): AppendResult => {
    const existing = db.prepare('SELECT run_json_sha256 AS sha FROM runs WHERE run_id = ?').get(record.runId) as { sha: string } | undefined;
    if (existing?.sha === runJsonSha256) return { runId: record.runId, status: 'unchanged' };
    if (existing) db.prepare('DELETE FROM runs WHERE run_id = ?').run(record.runId);
    db.prepare(
      `INSERT INTO runs (run_id, created_at, harness_version, git_sha, config_hash, hardware_hash, complete, verdict, run_json_sha256, run_dir, appended_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      record.runId,
      record.createdAt,
      record.harness.version,
      record.harness.gitSha,
      canonicalHash(record.config),
      canonicalHash(record.hardware),
      record.complete ? 1 : 0,
      record.gate?.verdict ?? null,
      runJsonSha256,
      runDir,
      new Date().toISOString(),
    );
    const insertCell = db.prepare(
      `INSERT INTO cells (run_id, variant_id, suite_id, metric, is_main, state, value, ci_low, ci_high, n, too_few, higher_is_better, unit)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of cellMetrics(record)) {
      insertCell.run(record.runId, c.variantId, c.suiteId, c.metric, c.main ? 1 : 0, c.state, c.value, c.low, c.high, c.n, c.tooFew ? 1 : 0, c.higherIsBetter ? 1 : 0, c.unit);
    }
    const insertMeasurement = db.prepare(
      `INSERT INTO measurements (run_id, variant_id, state, decode_p50_ms, decode_p99_ms, tokens_per_s, peak_rss_bytes, joules_per_token, energy_provenance)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const m of record.measurements ?? []) insertMeasurement.run(record.runId, ...measurementColumns(m));
    return { runId: record.runId, status: existing ? 'updated' : 'added' };
  })();
}

function measurementColumns(m: MeasurementRecord): unknown[] {
  if (m.state !== 'measured') return [m.variantId, m.state, null, null, null, null, null, null];
  return [m.variantId, m.state, m.decode.p50Ms, m.decode.p99Ms, m.decode.tokensPerS, m.peakRssBytes, m.energy.joulesPerToken, m.energy.provenance];
}
