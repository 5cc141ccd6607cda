import { cellKey, cellMetrics, type CellMetric } from './cell-metrics.js';
import { headerDiff, type HeaderDiff } from './header-diff.js';
import type { InstanceLine, LoadedRun } from './load-run.js';
import { compareMeasurements, type MeasurementChange } from './measurement-diff.js';
import { pairCell, type PairedCellStats } from './paired-cell.js';

/** A cell metric's figures in one run. */
export interface CellSide {
  readonly state: 'ok' | 'errored';
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
  readonly tooFew: boolean;
}

/** One variant × suite × metric present in both runs. */
export interface CellChange {
  readonly variantId: string;
  readonly suiteId: string;
  readonly metric: string;
  readonly higherIsBetter: boolean;
  readonly a: CellSide;
  readonly b: CellSide;
  /** B − A of the reported values (null when either is missing). */
  readonly delta: number | null;
  /** Paired statistics on matched instances; null when either run lacks instances.jsonl. */
  readonly paired: PairedCellStats | null;
  /**
   * Set when the reported value is not the mean of the per-instance scores (ratio-of-sums
   * metrics such as perplexity): the paired Δ is then of per-instance scores, not of the value.
   */
  readonly note?: string;
}

/** What changed between two runs (plain JSON; `compbench compare --json` prints it). */
export interface RunComparison {
  readonly a: { readonly runId: string; readonly dir: string; readonly createdAt: string; readonly hasInstances: boolean };
  readonly b: { readonly runId: string; readonly dir: string; readonly createdAt: string; readonly hasInstances: boolean };
  readonly header: HeaderDiff;
  readonly cells: readonly CellChange[];
  /** `VARIANT/SUITE/METRIC` keys evaluated only in A, or only in B. */
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
  /** Speed, memory and energy of every variant either run measured. */
  readonly measurements: readonly MeasurementChange[];
}

/** What {@link compareRuns} reads of a run: a run folder, or a night the history store kept. */
export type ComparableRun = Pick<LoadedRun, 'dir' | 'record' | 'instances'>;

/** Settings of {@link compareRuns}. */
export interface CompareOptions {
  readonly seed?: number;
  readonly resamples?: number;
}

/** Compares two runs: header differences, every cell × metric (Δ = B − A), then measurements. */
export function compareRuns(a: ComparableRun, b: ComparableRun, options: CompareOptions = {}): RunComparison {
  const rowsA = cellMetrics(a.record);
  const rowsB = new Map(cellMetrics(b.record).map((r) => [cellKey(r), r]));
  const keysA = new Set(rowsA.map(cellKey));
  const byCellA = groupByCell(a.instances);
  const byCellB = groupByCell(b.instances);
  const cells: CellChange[] = [];
  for (const ra of rowsA) {
    const rb = rowsB.get(cellKey(ra));
    const key = `${ra.variantId}\u0000${ra.suiteId}`;
    if (rb) cells.push(cellChange(ra, rb, byCellA && (byCellA.get(key) ?? []), byCellB && (byCellB.get(key) ?? []), options));
  }
  return {
    a: side(a),
    b: side(b),
    header: headerDiff(a.record, b.record),
    cells,
    onlyA: rowsA.map(cellKey).filter((k) => !rowsB.has(k)),
    onlyB: [...rowsB.keys()].filter((k) => !keysA.has(k)),
    measurements: compareMeasurements(a.record, b.record),
  };
}

// One pass over instances.jsonl instead of one filter per cell × metric.
function groupByCell(lines: readonly InstanceLine[] | null): Map<string, InstanceLine[]> | null {
  if (lines === null) return null;
  const groups = new Map<string, InstanceLine[]>();
  for (const l of lines) {
    const key = `${l.variantId}\u0000${l.suiteId}`;
    const list = groups.get(key);
    if (list) list.push(l);
    else groups.set(key, [l]);
  }
  return groups;
}

function side(run: ComparableRun): RunComparison['a'] {
  return { runId: run.record.runId, dir: run.dir, createdAt: run.record.createdAt, hasInstances: run.instances !== null };
}

function cellSide(r: CellMetric): CellSide {
  return { state: r.state, value: r.value, low: r.low, high: r.high, n: r.n, tooFew: r.tooFew };
}

function cellChange(
  ra: CellMetric,
  rb: CellMetric,
  instancesA: readonly InstanceLine[] | null,
  instancesB: readonly InstanceLine[] | null,
  options: CompareOptions,
): CellChange {
  const delta = ra.value !== null && rb.value !== null ? rb.value - ra.value : null;
  const paired =
    instancesA && instancesB
      ? pairCell(instancesA, instancesB, ra, { seed: options.seed, resamples: options.resamples, binary: ra.method === 'wilson' && rb.method === 'wilson' })
      : null;
  const note = instancesA && ra.value !== null && !isInstanceMean(ra, instancesA) ? 'value is a ratio of sums; paired Δ is of per-instance scores' : undefined;
  return {
    variantId: ra.variantId,
    suiteId: ra.suiteId,
    metric: ra.metric,
    higherIsBetter: ra.higherIsBetter,
    a: cellSide(ra),
    b: cellSide(rb),
    delta,
    paired,
    ...(note === undefined ? {} : { note }),
  };
}

function isInstanceMean(row: CellMetric, instances: readonly InstanceLine[]): boolean {
  const scores = instances
    .filter((l) => l.variantId === row.variantId && l.suiteId === row.suiteId && l.state === 'scored')
    .map((l) => l.scores[row.metric])
    .filter((s): s is number => s !== undefined);
  if (scores.length === 0 || row.value === null) return true;
  const mean = scores.reduce((s, x) => s + x, 0) / scores.length;
  return Math.abs(mean - row.value) <= 1e-9 * Math.max(1, Math.abs(row.value));
}
