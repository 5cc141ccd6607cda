import type { SqliteDatabase } from './sqlite.js';

/** One recorded night, as `compbench history` lists it. */
export interface HistoryRun {
  readonly runId: string;
  readonly createdAt: string;
  readonly gitSha: string | null;
  readonly harnessVersion: string;
  readonly complete: boolean;
  /** The gate verdict, or null when the run computed none. */
  readonly verdict: 'pass' | 'fail' | null;
  readonly configHash: string;
  readonly hardwareHash: string;
  /** `accepted`: later nights are compared with it; `flagged`: it changed and was not signed off. */
  readonly status: 'accepted' | 'flagged';
  /** The night it was compared with when added (null for the first). */
  readonly referenceRunId: string | null;
  /** Set when a flagged night was accepted by hand (`--accept RUN_ID --note TEXT`). */
  readonly acceptedNote: string | null;
}

interface RunRow {
  run_id: string;
  created_at: string;
  git_sha: string | null;
  harness_version: string;
  complete: number;
  verdict: 'pass' | 'fail' | null;
  config_hash: string;
  hardware_hash: string;
  status: 'accepted' | 'flagged';
  reference_run_id: string | null;
  accepted_note: string | null;
}

function runOf(r: RunRow): HistoryRun {
  return {
    runId: r.run_id,
    createdAt: r.created_at,
    gitSha: r.git_sha,
    harnessVersion: r.harness_version,
    complete: r.complete === 1,
    verdict: r.verdict,
    configHash: r.config_hash,
    hardwareHash: r.hardware_hash,
    status: r.status,
    referenceRunId: r.reference_run_id,
    acceptedNote: r.accepted_note,
  };
}

/** The newest `limit` nights by creation time, returned oldest first. */
export function listRuns(db: SqliteDatabase, limit: number): HistoryRun[] {
  const rows = db.prepare('SELECT * FROM runs ORDER BY created_at DESC, run_id DESC LIMIT ?').all(limit) as RunRow[];
  return rows.reverse().map(runOf);
}

/** One night by id, or undefined. */
export function getRun(db: SqliteDatabase, runId: string): HistoryRun | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE run_id = ?').get(runId) as RunRow | undefined;
  return row && runOf(row);
}

/** One cell × metric, as `--cell VARIANT/SUITE/METRIC` names it. */
export interface CellName {
  readonly variantId: string;
  readonly suiteId: string;
  readonly metric: string;
}

/** The values of one cell × metric over `runs` (in that order; null where a night lacks or errored it). */
export function cellValues(db: SqliteDatabase, runs: readonly HistoryRun[], cell: CellName): (number | null)[] | null {
  if (runs.length === 0) return null;
  const rows = db
    .prepare(`SELECT run_id, value FROM cells WHERE variant_id = ? AND suite_id = ? AND metric = ? AND run_id IN (${runs.map(() => '?').join(', ')})`)
    .all(cell.variantId, cell.suiteId, cell.metric, ...runs.map((r) => r.runId)) as { run_id: string; value: number | null }[];
  if (rows.length === 0) return null;
  const byRun = new Map(rows.map((r) => [r.run_id, r.value]));
  return runs.map((r) => byRun.get(r.runId) ?? null);
}

/** A main metric's values over nights, for the report's trend chart. */
export interface HistorySeries {
  /** `VARIANT/SUITE/METRIC`. */
  readonly key: string;
  readonly higherIsBetter: boolean;
  /** One value per night in the list (null where the night lacks or errored the cell). */
  readonly values: readonly (number | null)[];
}

/** Every cell's main metric over `runs` (in that order); keys in order of first appearance. */
export function mainSeries(db: SqliteDatabase, runs: readonly HistoryRun[]): HistorySeries[] {
  if (runs.length === 0) return [];
  const rows = db
    .prepare(`SELECT run_id, variant_id, suite_id, metric, value, higher_is_better FROM cells WHERE is_main = 1 AND run_id IN (${runs.map(() => '?').join(', ')})`)
    .all(...runs.map((r) => r.runId)) as { run_id: string; variant_id: string; suite_id: string; metric: string; value: number | null; higher_is_better: number }[];
  const index = new Map(runs.map((r, i) => [r.runId, i]));
  const byKey = new Map<string, { higherIsBetter: boolean; values: (number | null)[] }>();
  for (const r of [...rows].sort((a, b) => (index.get(a.run_id) ?? 0) - (index.get(b.run_id) ?? 0))) {
    const key = `${r.variant_id}/${r.suite_id}/${r.metric}`;
    const entry = byKey.get(key) ?? { higherIsBetter: r.higher_is_better === 1, values: runs.map(() => null) };
    entry.values[index.get(r.run_id) ?? 0] = r.value;
    byKey.set(key, entry);
  }
  return [...byKey].map(([key, e]) => ({ key, higherIsBetter: e.higherIsBetter, values: e.values }));
}
