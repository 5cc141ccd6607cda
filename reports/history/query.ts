import type { SqliteDatabase } from './sqlite.js';
import type { TrendPoint } from './trend.js';

/** One recorded run, as `compbench history` lists it. */
export interface HistoryRun {
  readonly runId: string;
  readonly createdAt: string;
  readonly gitSha: string | null;
  readonly complete: boolean;
  /** The gate verdict, or null when the run computed none. */
  readonly verdict: 'pass' | 'fail' | null;
  readonly configHash: string;
  readonly hardwareHash: string;
}

/** A series of one cell × metric (or one measurement) over the listed runs, oldest first. */
export interface HistorySeries {
  /** `VARIANT/SUITE/METRIC`, or `VARIANT/measure/FIELD` for measurements. */
  readonly key: string;
  readonly higherIsBetter: boolean;
  /** One point per run in the list (value null where the run lacks or errored the cell). */
  readonly points: readonly TrendPoint[];
}

/** The newest `limit` runs by creation time, returned oldest first. */
export function listRuns(db: SqliteDatabase, limit: number): HistoryRun[] {
  const rows = db
    .prepare(
      `SELECT run_id, created_at, git_sha, complete, verdict, config_hash, hardware_hash
       FROM runs ORDER BY created_at DESC, run_id DESC LIMIT ?`,
    )
    .all(limit) as { run_id: string; created_at: string; git_sha: string | null; complete: number; verdict: 'pass' | 'fail' | null; config_hash: string; hardware_hash: string }[];
  return rows.reverse().map((r) => ({
    runId: r.run_id,
    createdAt: r.created_at,
    gitSha: r.git_sha,
    complete: r.complete === 1,
    verdict: r.verdict,
    configHash: r.config_hash,
    hardwareHash: r.hardware_hash,
  }));
}

/** Which cells {@link cellSeries} returns: main metrics only, or one named cell × metric. */
export type CellFilter = { readonly kind: 'main' } | { readonly kind: 'one'; readonly variantId: string; readonly suiteId: string; readonly metric: string };

/** Series of cell metrics over `runs` (in that order); the key order is first appearance. */
export function cellSeries(db: SqliteDatabase, runs: readonly HistoryRun[], filter: CellFilter): HistorySeries[] {
  const where = filter.kind === 'main' ? 'is_main = 1' : 'variant_id = ? AND suite_id = ? AND metric = ?';
  const params = filter.kind === 'main' ? [] : [filter.variantId, filter.suiteId, filter.metric];
  const placeholders = runs.map(() => '?').join(', ');
  if (runs.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT run_id, variant_id, suite_id, metric, value, ci_low, ci_high, higher_is_better FROM cells
       WHERE run_id IN (${placeholders}) AND ${where}`,
    )
    .all(...runs.map((r) => r.runId), ...params) as {
    run_id: string;
    variant_id: string;
    suite_id: string;
    metric: string;
    value: number | null;
    ci_low: number | null;
    ci_high: number | null;
    higher_is_better: number;
  }[];
  const byKey = new Map<string, { higherIsBetter: boolean; byRun: Map<string, TrendPoint> }>();
  for (const r of orderByRun(rows, runs)) {
    const key = `${r.variant_id}/${r.suite_id}/${r.metric}`;
    const entry = byKey.get(key) ?? { higherIsBetter: r.higher_is_better === 1, byRun: new Map() };
    const ciHalfWidth = r.ci_low === null || r.ci_high === null ? null : (r.ci_high - r.ci_low) / 2;
    entry.byRun.set(r.run_id, { value: r.value, ciHalfWidth });
    byKey.set(key, entry);
  }
  return [...byKey].map(([key, e]) => ({ key, higherIsBetter: e.higherIsBetter, points: runs.map((run) => e.byRun.get(run.runId) ?? { value: null, ciHalfWidth: null }) }));
}

const MEASURES = [
  ['decode_p50_ms', false],
  ['decode_p99_ms', false],
  ['tokens_per_s', true],
  ['peak_rss_bytes', false],
  ['joules_per_token', false],
] as const;

/** Series of each variant's measurements (no CI: the rule's floor and noise terms apply). */
export function measurementSeries(db: SqliteDatabase, runs: readonly HistoryRun[]): HistorySeries[] {
  if (runs.length === 0) return [];
  const rows = db
    .prepare(`SELECT * FROM measurements WHERE run_id IN (${runs.map(() => '?').join(', ')}) AND state = 'measured'`)
    .all(...runs.map((r) => r.runId)) as (Record<string, number | null> & { run_id: string; variant_id: string })[];
  const variants = [...new Set(rows.map((r) => r.variant_id))];
  return variants.flatMap((variant) =>
    MEASURES.map(([column, higherIsBetter]) => ({
      key: `${variant}/measure/${column}`,
      higherIsBetter,
      points: runs.map((run) => ({ value: rows.find((r) => r.run_id === run.runId && r.variant_id === variant)?.[column] ?? null, ciHalfWidth: null })),
    })),
  );
}

function orderByRun<T extends { run_id: string }>(rows: readonly T[], runs: readonly HistoryRun[]): T[] {
  const index = new Map(runs.map((r, i) => [r.runId, i]));
  return [...rows].sort((a, b) => (index.get(a.run_id) ?? 0) - (index.get(b.run_id) ?? 0));
}
