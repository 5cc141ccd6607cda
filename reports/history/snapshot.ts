/**
 * What the history keeps of a night so that a later night can be paired with it by
 * instance without its run folder: the run record trimmed to what `compare` reads, and
 * the per-instance scores of each cell, both as gzip JSON.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CellRecord, RunRecord } from '../../core/run-record.js';
import type { ComparableRun } from '../compare/compare-runs.js';
import type { InstanceLine } from '../compare/load-run.js';
import type { SqliteDatabase } from './sqlite.js';

/** Hex digits of an instance hash kept: 64 bits tell a changed instance from the same one. */
export const KEPT_HASH_CHARS = 16;

/** gzip of the JSON text of `value`. */
export function packJson(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'));
}

/** The value {@link packJson} packed. */
export function unpackJson<T>(blob: Buffer | Uint8Array): T {
  return JSON.parse(gunzipSync(blob).toString('utf8')) as T;
}

interface MetricAggregateJson {
  readonly higherIsBetter?: unknown;
  readonly unit?: unknown;
  readonly overall?: unknown;
}

/**
 * The record without what a night-to-night comparison never reads: per-slice figures,
 * comparisons with the baseline and the gate's rules (the verdict stays in `runs`).
 */
export function slimRecord(record: RunRecord): RunRecord {
  const cells = record.cells.map((c): CellRecord => {
    if (c.state !== 'ok') return c;
    const metrics = (c.aggregate.metrics ?? {}) as Record<string, MetricAggregateJson>;
    const kept = Object.fromEntries(Object.entries(metrics).map(([m, a]) => [m, { higherIsBetter: a.higherIsBetter, unit: a.unit, overall: a.overall }]));
    return { state: 'ok', variantId: c.variantId, suiteId: c.suiteId, durationMs: c.durationMs, aggregate: { metrics: kept } };
  });
  const { gate: _gate, ...rest } = record;
  return { ...rest, cells };
}

/** One kept instance: id, hash prefix, and its scores (null when the instance errored). */
type KeptLine = [string, string, Readonly<Record<string, number>> | null];

/** Per-instance lines grouped by cell (`variant\0suite`), packed for the `instances` table. */
export function packInstances(lines: readonly InstanceLine[]): Map<string, { variantId: string; suiteId: string; blob: Buffer }> {
  const groups = new Map<string, { variantId: string; suiteId: string; kept: KeptLine[] }>();
  for (const l of lines) {
    const key = `${l.variantId}\u0000${l.suiteId}`;
    const group = groups.get(key) ?? { variantId: l.variantId, suiteId: l.suiteId, kept: [] };
    group.kept.push([l.instanceId, l.instanceHash.slice(0, KEPT_HASH_CHARS), l.state === 'scored' ? l.scores : null]);
    groups.set(key, group);
  }
  return new Map([...groups].map(([key, g]) => [key, { variantId: g.variantId, suiteId: g.suiteId, blob: packJson(g.kept) }]));
}

/**
 * A recorded night as `compareRuns` reads it: its trimmed record and its instances
 * (null when it was recorded without them: a v1 history, or a run folder without
 * instances.jsonl). `dir` is the folder it was added from.
 */
export function loadNight(db: SqliteDatabase, runId: string): ComparableRun | null {
  const run = db.prepare('SELECT run_dir, record_gz FROM runs WHERE run_id = ?').get(runId) as { run_dir: string; record_gz: Buffer | null } | undefined;
  if (run === undefined || run.record_gz === null) return null;
  const rows = db.prepare('SELECT variant_id, suite_id, lines_gz FROM instances WHERE run_id = ?').all(runId) as { variant_id: string; suite_id: string; lines_gz: Buffer }[];
  const instances: InstanceLine[] = rows.flatMap((r) =>
    unpackJson<KeptLine[]>(r.lines_gz).map(([instanceId, instanceHash, scores]) => ({
      variantId: r.variant_id,
      suiteId: r.suite_id,
      instanceId,
      instanceHash,
      state: scores === null ? ('errored' as const) : ('scored' as const),
      scores: scores ?? {},
    })),
  );
  return { dir: run.run_dir, record: unpackJson<RunRecord>(run.record_gz), instances: rows.length === 0 ? null : instances };
}
