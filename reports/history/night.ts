/**
 * Night-to-night comparison: the newest night against the last accepted night, cell by
 * cell with the paired statistics of `compbench compare` (the same function, on the
 * instances the history kept), and each measured figure against the band of real
 * repeats (trend.ts). What changed in the header comes with it.
 */
import type { CellChange } from '../compare/compare-runs.js';
import { compareRuns } from '../compare/compare-runs.js';
import { headerDiff, type HeaderDiff } from '../compare/header-diff.js';
import { measurementVerdicts, type MeasureVerdict } from './measure-series.js';
import { loadNight } from './snapshot.js';
import type { SqliteDatabase } from './sqlite.js';

/** When a night counts as changed. */
export interface NightRule {
  /** A cell changed when its paired 95% CI of Δ lies wholly beyond ±tolerance (metric units). */
  readonly tolerance: number;
  /** A 0/1 cell also changed when more than this share of its paired instances flipped. */
  readonly maxFlipRate: number;
  /** Measured nights that set a measurement band (trend.ts). */
  readonly k: number;
  /** Bootstrap seed and resamples, as `compare` (defaults 0 and 2000). */
  readonly seed?: number;
  readonly resamples?: number;
}

/** The defaults of `compbench history`. */
export const DEFAULT_NIGHT_RULE: NightRule = { tolerance: 0, maxFlipRate: 0.02, k: 5 };

/**
 * A cell × metric's verdict. Flagged: `regression` (paired CI wholly on the worse side),
 * `flips`, `missing` (ok in the reference, errored or absent now, or instances the
 * reference scored are absent or errored now), `changed-unpaired`
 * (no instances to pair and the value moved). Reported only: `improvement`, `same`,
 * `recovered`, `new`, `still-errored`.
 */
export type CellStatus = 'same' | 'regression' | 'improvement' | 'flips' | 'missing' | 'changed-unpaired' | 'new' | 'recovered' | 'still-errored';

const FLAGGED: ReadonlySet<CellStatus> = new Set(['regression', 'flips', 'missing', 'changed-unpaired']);

/** One cell × metric of the newest night against the reference. */
export interface CellVerdict {
  readonly key: string;
  /** The suite's first metric (shown even when unchanged). */
  readonly main: boolean;
  readonly status: CellStatus;
  readonly flagged: boolean;
  /** The comparison, as `compare` gives it (null for a cell only one night has). */
  readonly change: CellChange | null;
}

/** The newest night against the last accepted night before it. */
export interface NightReport {
  readonly runId: string;
  /** The last accepted night before this one; null for the first night. */
  readonly reference: string | null;
  /** Null without a reference, or when the reference was recorded without its record (history schema 1). */
  readonly header: HeaderDiff | null;
  readonly cells: readonly CellVerdict[];
  readonly measurements: readonly MeasureVerdict[];
  /** Flagged cells, figures and lost measurements. */
  readonly flagged: number;
  /** Why cells could not be compared, when they could not. */
  readonly note?: string;
}

/** The accepted night that `runId` is compared with: the latest accepted one created before it. */
export function referenceNight(db: SqliteDatabase, runId: string): string | null {
  const row = db
    .prepare(
      `SELECT r.run_id FROM runs r, runs n WHERE n.run_id = ? AND r.status = 'accepted' AND r.run_id <> n.run_id
       AND (r.created_at < n.created_at OR (r.created_at = n.created_at AND r.run_id < n.run_id))
       ORDER BY r.created_at DESC, r.run_id DESC LIMIT 1`,
    )
    .get(runId) as { run_id: string } | undefined;
  return row?.run_id ?? null;
}

/** Compares night `runId` (already recorded) with its reference night under `rule`. */
export function evaluateNight(db: SqliteDatabase, runId: string, rule: NightRule = DEFAULT_NIGHT_RULE): NightReport {
  const reference = referenceNight(db, runId);
  const measurements = measurementVerdicts(db, runId, reference, rule);
  const measureFlags = measurements.filter((m) => m.kind === 'missing' || m.verdict.status === 'regression').length;
  const newest = loadNight(db, runId);
  const before = reference === null ? null : loadNight(db, reference);
  if (reference === null || newest === null || before === null) {
    const note = reference === null ? undefined : 'the reference night was recorded without its run record (history schema 1): cells are not compared';
    return { runId, reference, header: null, cells: [], measurements, flagged: measureFlags, ...(note ? { note } : {}) };
  }
  const comparison = compareRuns(before, newest, { seed: rule.seed ?? 0, resamples: rule.resamples });
  const mainMetric = new Map(newest.record.suites.map((s) => [s.id, s.metrics[0]]));
  const verdict = (key: string, main: boolean, status: CellStatus, change: CellChange | null): CellVerdict => ({ key, main, status, flagged: FLAGGED.has(status), change });
  const cells = [
    ...comparison.cells.map((c) => verdict(`${c.variantId}/${c.suiteId}/${c.metric}`, mainMetric.get(c.suiteId) === c.metric, cellStatus(c, rule), c)),
    ...comparison.onlyA.map((key) => verdict(key, true, 'missing', null)),
    ...comparison.onlyB.map((key) => verdict(key, true, 'new', null)),
  ];
  return {
    runId,
    reference,
    header: headerDiff(before.record, newest.record),
    cells,
    measurements,
    flagged: measureFlags + cells.filter((c) => c.flagged).length,
  };
}

/** The rule above applied to one cell × metric. */
export function cellStatus(c: CellChange, rule: NightRule): CellStatus {
  if (c.a.state === 'errored') return c.b.state === 'errored' ? 'still-errored' : 'recovered';
  // A night that scores fewer of the reference's instances has lost part of the cell.
  if (c.b.state === 'errored' || (c.paired?.pairing.lostInB ?? 0) > 0) return 'missing';
  // Scoring is deterministic: an unchanged night gives Δ = 0 exactly; the epsilon only absorbs float noise.
  const tolerance = rule.tolerance + 1e-9 * Math.max(1, Math.abs(c.a.value ?? 0));
  const delta = c.paired?.delta;
  if (!delta) return c.delta !== null && Math.abs(c.delta) > tolerance ? 'changed-unpaired' : 'same';
  const worse = c.higherIsBetter ? delta.high < -tolerance : delta.low > tolerance;
  const better = c.higherIsBetter ? delta.low > tolerance : delta.high < -tolerance;
  if (worse) return 'regression';
  if (c.paired?.flips && c.paired.flips.flipRate > rule.maxFlipRate) return 'flips';
  return better ? 'improvement' : 'same';
}
