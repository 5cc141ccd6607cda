import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellRecord, MeasurementRecord, RunRecord } from '../../../core/run-record.js';
import { flipStats, pairedDelta, pairedPower, sliceBreakdown, summarizeScores } from '../../../core/stats/index.js';

/**
 * Synthetic run records for the gate tests, built with the real statistics of
 * `core/stats` (the same functions suites/aggregate.ts and suites/compare.ts call), so
 * their shapes and numbers are those a real run writes.
 */

/** Per-instance scores of one metric in one cell. */
export interface MetricScores {
  readonly metric: string;
  readonly scores: readonly number[];
  /** Default true. */
  readonly higherIsBetter?: boolean;
  /** Tags per instance (same order as scores). */
  readonly tags?: readonly Readonly<Record<string, string>>[];
}

const STATS = { seed: 0, resamples: 1000 };

function isBinary(scores: readonly number[]): boolean {
  return scores.every((s) => s === 0 || s === 1);
}

/** An `ok` cell with aggregates of `metrics` and, given the baseline's scores, a comparison with them. */
export function cell(variantId: string, suiteId: string, metrics: readonly MetricScores[], baseline?: readonly MetricScores[]): CellRecord {
  const aggregates: Record<string, unknown> = {};
  for (const m of metrics) {
    const higherIsBetter = m.higherIsBetter ?? true;
    const options = { ...STATS, relativeWidth: !isBinary(m.scores) };
    const tagNames = [...new Set((m.tags ?? []).flatMap((t) => Object.keys(t)))].sort();
    const items = m.scores.map((score, i) => ({ score, ...(m.tags ? { tags: m.tags[i] } : {}) }));
    aggregates[m.metric] = {
      metric: m.metric,
      unit: '',
      higherIsBetter,
      overall: summarizeScores(m.scores, options),
      slices: tagNames.map((tag) => sliceBreakdown(items, tag, { ...options, higherIsBetter })),
      worstCase: null,
    };
  }
  const n = metrics[0]?.scores.length ?? 0;
  const aggregate = { suiteId, suiteVersion: '1.0.0', suiteHash: 'f'.repeat(64), kind: 'generate', n, scored: n, errored: 0, metrics: aggregates };
  if (!baseline) return { state: 'ok', variantId, suiteId, durationMs: 1, aggregate };
  const comparisons: Record<string, unknown> = {};
  for (const m of metrics) {
    const base = baseline.find((b) => b.metric === m.metric)!.scores;
    const binary = isBinary(m.scores) && isBinary(base);
    const delta = pairedDelta(base, m.scores, STATS);
    comparisons[m.metric] = {
      metric: m.metric,
      delta,
      flips: binary ? flipStats(base, m.scores) : null,
      power: pairedPower(base, m.scores, delta, binary),
    };
  }
  return { state: 'ok', variantId, suiteId, durationMs: 1, aggregate, vsBaseline: { suiteId, paired: n, unpaired: 0, metrics: comparisons, choiceKL: null } };
}

/** An errored cell. */
export function erroredCell(variantId: string, suiteId: string, error: string): CellRecord {
  return { state: 'errored', variantId, suiteId, durationMs: 1, error };
}

/** `k` ones then `n − k` zeros. */
export function ones(k: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));
}

/** `scores` with the first `count` ones (from index `from`) turned to zeros: right→wrong flips. */
export function flipped(scores: readonly number[], count: number, from = 0): number[] {
  const out = [...scores];
  for (let i = from, done = 0; i < out.length && done < count; i++) {
    if (out[i] === 1) {
      out[i] = 0;
      done++;
    }
  }
  return out;
}

/** A measured variant: p99 decode and prefill in ms, peak RSS in bytes. */
export function measured(variantId: string, decodeP99Ms: number, prefillP99Ms: number, peakRssBytes: number): MeasurementRecord {
  const timing = (p99Ms: number) => ({ samples: 32, meanMs: p99Ms * 0.8, p50Ms: p99Ms * 0.8, p90Ms: p99Ms * 0.9, p95Ms: p99Ms * 0.95, p99Ms });
  return {
    state: 'measured',
    variantId,
    sizeBytes: 1000,
    peakRssBytes,
    loadMs: 5,
    intraOpNumThreads: 2,
    prefill: { ...timing(prefillP99Ms), promptTokens: 64 },
    decode: { ...timing(decodeP99Ms), tokens: 32, warmupTokens: 4, tokensPerS: 1000 / decodeP99Ms },
    energy: { provenance: 'estimated', joules: 1, joulesPerToken: 0.03, tdpWattsPerCore: 10, cpuSeconds: 0.1, formula: 'cpuSeconds × TDP per core' },
  };
}

/** A run record over `cells` (suites and variants inferred from them, plus `extraVariants`). */
export function runRecord(
  baseline: string,
  cells: readonly CellRecord[],
  options: { measurements?: readonly MeasurementRecord[]; extraVariants?: readonly string[] } = {},
): RunRecord {
  const variantIds = [...new Set([baseline, ...cells.map((c) => c.variantId), ...(options.extraVariants ?? [])])];
  const suiteIds = [...new Set(cells.map((c) => c.suiteId))];
  const metricsOf = (suiteId: string): string[] => {
    const names = new Set<string>();
    for (const c of cells) {
      if (c.suiteId === suiteId && c.state === 'ok') for (const m of Object.keys((c.aggregate as { metrics: object }).metrics)) names.add(m);
    }
    return [...names];
  };
  return {
    schemaVersion: 1,
    tool: 'compbench',
    runId: 'synthetic',
    createdAt: '2026-01-01T00:00:00Z',
    harness: { version: '0.0.0', gitSha: null },
    hardware: { cpuModel: 'test', cpuFlags: [], logicalCores: 2, memoryBytes: 1, os: 'test', node: 'v20', onnxruntime: '1.30', executionProvider: 'cpu' },
    config: {},
    baseline,
    variants: variantIds.map((id) => ({
      id,
      model: 'teacher',
      method: id === baseline ? 'none' : 'rtn',
      params: {},
      executionForm: id.endsWith('-sim') ? 'simulated' : id === baseline ? 'reference' : 'packed',
      dir: `models/${id}`,
      modelSha256: '0'.repeat(64),
      sizeBytes: 1000,
    })),
    suites: suiteIds.map((id) => ({ id, version: '1.0.0', kind: 'generate', hash: 'f'.repeat(64), n: 100, metrics: metricsOf(id) })),
    cells,
    ...(options.measurements ? { measurements: options.measurements } : {}),
    complete: cells.every((c) => c.state === 'ok'),
  };
}

/** A fresh temporary folder holding `run.json` with `record` (pretty-printed like `compbench run`). */
export function writeRunDir(record: RunRecord): string {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-gate-'));
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(record, null, 1)}\n`);
  return dir;
}
