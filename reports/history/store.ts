/**
 * The run history store: one SQLite file (default `runs/history.sqlite`) that the
 * nightly job appends each night to, and `compbench history` compares nights from.
 *
 * Why SQLite (through better-sqlite3): the history is one portable file a CI job can
 * cache or archive; appends are transactional, so a crash mid-append leaves the
 * previous history intact and never half a night; queries are plain SQL over indexed
 * tables instead of re-reading every run folder (whose folders may be gone: the history
 * keeps what pairing needs); and there is no server to run. WAL mode lets a reader query
 * while the nightly job writes; appends take the write lock up front (BEGIN IMMEDIATE)
 * and wait for each other. Tables: schema.ts.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { MeasurementRecord, RunRecord } from '../../core/run-record.js';
import { cellMetrics } from '../compare/cell-metrics.js';
import { canonicalHash } from '../compare/json-diff.js';
import { loadRunDir, type InstanceLine } from '../compare/load-run.js';
import { DEFAULT_NIGHT_RULE, evaluateNight, type NightRule } from './night.js';
import { HISTORY_FIGURES } from './measure-series.js';
import { openHistory } from './schema.js';
import { packInstances, packJson, slimRecord } from './snapshot.js';
import { retryWhileBusy, type SqliteDatabase } from './sqlite.js';

export { HISTORY_SCHEMA_VERSION, openHistory } from './schema.js';

/** A run to record: its validated record, its instances (null without instances.jsonl), its folder. */
export interface NightInput {
  readonly record: RunRecord;
  readonly instances: readonly InstanceLine[] | null;
  /** sha256 of run.json's bytes: the same id with the same bytes is already recorded. */
  readonly runJsonSha256: string;
  readonly dir: string;
}

/** What {@link appendRun} did. */
export interface AppendResult {
  readonly runId: string;
  /**
   * `added`: new night. `unchanged`: this run id with byte-identical run.json is already
   * recorded, so nothing was written (appending is idempotent). `updated`: the id was
   * recorded from a different run.json (e.g. a resumed run that finished more cells):
   * its rows were replaced in one transaction.
   */
  readonly status: 'added' | 'unchanged' | 'updated';
  /** `accepted`: a later night's reference; `flagged`: it changed, and stays out until accepted by hand. */
  readonly night: 'accepted' | 'flagged';
  /** The night it was compared with (null for the first). */
  readonly reference: string | null;
  readonly flagged: number;
}

/** Reads a run folder (run.json validated, instances.jsonl when present) as a {@link NightInput}. */
export function readNight(runDir: string): NightInput {
  const run = loadRunDir(resolve(runDir));
  return { record: run.record, instances: run.instances, runJsonSha256: createHash('sha256').update(run.runJsonText).digest('hex'), dir: resolve(runDir) };
}

/** Records the run in `runDir` in the history at `dbPath` and decides its status. */
export function appendRun(dbPath: string, runDir: string, rule: NightRule = DEFAULT_NIGHT_RULE): AppendResult {
  const night = readNight(runDir);
  const db = openHistory(dbPath);
  try {
    return appendNight(db, dbPath, night, rule);
  } finally {
    db.close();
  }
}

/**
 * Writes one night into an open history and compares it with the last accepted night
 * before it, in one IMMEDIATE transaction (retried while another writer holds the file),
 * so concurrent appends serialize instead of failing.
 */
export function appendNight(db: SqliteDatabase, dbPath: string, night: NightInput, rule: NightRule = DEFAULT_NIGHT_RULE): AppendResult {
  const write = db.transaction((): AppendResult => {
    const { record } = night;
    const existing = db.prepare('SELECT run_json_sha256 AS sha, status, reference_run_id AS ref FROM runs WHERE run_id = ?').get(record.runId) as
      | { sha: string; status: 'accepted' | 'flagged'; ref: string | null }
      | undefined;
    if (existing?.sha === night.runJsonSha256) return { runId: record.runId, status: 'unchanged', night: existing.status, reference: existing.ref, flagged: 0 };
    if (existing) db.prepare('DELETE FROM runs WHERE run_id = ?').run(record.runId);
    insertNight(db, night);
    const report = evaluateNight(db, record.runId, rule);
    const status = report.flagged > 0 ? 'flagged' : 'accepted';
    db.prepare('UPDATE runs SET status = ?, reference_run_id = ? WHERE run_id = ?').run(status, report.reference, record.runId);
    return { runId: record.runId, status: existing ? 'updated' : 'added', night: status, reference: report.reference, flagged: report.flagged };
  });
  return retryWhileBusy(dbPath, () => write.immediate());
}

function insertNight(db: SqliteDatabase, night: NightInput): void {
  const { record } = night;
  db.prepare(
    `INSERT INTO runs (run_id, created_at, harness_version, git_sha, config_hash, hardware_hash, complete, verdict, run_json_sha256, run_dir, appended_at, record_gz)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.runId,
    record.createdAt,
    record.harness.version,
    record.harness.gitSha,
    canonicalHash(record.config),
    canonicalHash(record.hardware),
    record.complete ? 1 : 0,
    record.gate?.verdict ?? null,
    night.runJsonSha256,
    night.dir,
    new Date().toISOString(),
    packJson(slimRecord(record)),
  );
  const insertCell = db.prepare(
    `INSERT INTO cells (run_id, variant_id, suite_id, metric, is_main, state, value, ci_low, ci_high, n, too_few, higher_is_better, unit, method)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const c of cellMetrics(record)) {
    insertCell.run(record.runId, c.variantId, c.suiteId, c.metric, c.main ? 1 : 0, c.state, c.value, c.low, c.high, c.n, c.tooFew ? 1 : 0, c.higherIsBetter ? 1 : 0, c.unit, c.method);
  }
  const insertInstances = db.prepare('INSERT INTO instances (run_id, variant_id, suite_id, lines_gz) VALUES (?, ?, ?, ?)');
  for (const g of packInstances(night.instances ?? []).values()) insertInstances.run(record.runId, g.variantId, g.suiteId, g.blob);
  const columns = HISTORY_FIGURES.map((f) => f.id);
  const insertMeasurement = db.prepare(
    `INSERT INTO measurements (run_id, variant_id, state, replayed, energy_provenance, within_run_json, ${columns.join(', ')})
     VALUES (${['?', '?', '?', '?', '?', '?', ...columns.map(() => '?')].join(', ')})`,
  );
  for (const m of record.measurements ?? []) insertMeasurement.run(record.runId, ...measurementColumns(m));
}

function measurementColumns(m: MeasurementRecord): unknown[] {
  if (m.state !== 'measured') return [m.variantId, m.state, 0, null, null, ...HISTORY_FIGURES.map(() => null)];
  const withinRun = Object.fromEntries(HISTORY_FIGURES.map((f) => [f.id, f.withinRun(m)]));
  return [m.variantId, m.state, m.replayed ? 1 : 0, m.energy.provenance, JSON.stringify(withinRun), ...HISTORY_FIGURES.map((f) => f.read(m))];
}

/**
 * Signs off a flagged night: it becomes the reference later nights are compared with.
 * `note` (who, why) is kept with it.
 */
export function acceptNight(db: SqliteDatabase, dbPath: string, runId: string, note: string): void {
  retryWhileBusy(dbPath, () =>
    db
      .transaction(() => {
        const row = db.prepare('SELECT status FROM runs WHERE run_id = ?').get(runId) as { status: string } | undefined;
        if (row === undefined) throw new InputError(`--accept ${runId}: no such night in ${dbPath}; list them with 'compbench history --db ${dbPath}'`);
        db.prepare("UPDATE runs SET status = 'accepted', accepted_note = ? WHERE run_id = ?").run(note, runId);
      })
      .immediate(),
  );
}
