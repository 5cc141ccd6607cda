/**
 * Turns per-instance records into the run record's cells: aggregates per cell, and each
 * variant against the variant it is compared with (its parent, core/pairing.ts) on the
 * same instances. Pure and deterministic: records are put in suite instance order
 * first, whatever order the shards finished in.
 */
import { AGREEMENT_SUITE_KINDS, type CellRecord, type SuiteRecord } from '../../core/run-record.js';
import { cellAgreement } from '../agreement/cell-agreement.js';
import { aggregateRecords, compareRecords, generationLengths, isMetricId, suiteRoleFields, type InstanceRecord, type LoadedSuite, type SuiteComparison } from '../../suites/index.js';

/** What the run knows about one cell when it assembles the record. */
export type CellOutcome =
  | { readonly state: 'ok'; readonly records: ReadonlyMap<string, InstanceRecord>; readonly durationMs: number }
  | { readonly state: 'errored'; readonly error: string; readonly durationMs: number };

/** A record line of instances.jsonl: the instance record with its variant id first. */
export type InstanceLine = InstanceRecord & { readonly variantId: string };

/** Records of a cell in the suite's instance order (missing ones left out). */
export function orderedRecords(suite: LoadedSuite, records: ReadonlyMap<string, InstanceRecord>): InstanceRecord[] {
  return suite.instances.map((i) => records.get(i.id)).filter((r): r is InstanceRecord => r !== undefined);
}

/**
 * Cells (variant order × suite order) and instances.jsonl lines. A cell missing any
 * instance is errored (fail-closed); each variant's records pair with those of the
 * variant `comparedTo` names (core/pairing.ts), none for a variant standing on its own.
 * `suites` is every variant's list, or a variant's own (its model's `suites`).
 */
export function assembleCells(
  variantIds: readonly string[],
  comparedTo: (variantId: string) => string | undefined,
  suites: readonly LoadedSuite[] | ((variantId: string) => readonly LoadedSuite[]),
  outcome: (variantId: string, suiteId: string) => CellOutcome,
  seed: number,
): { cells: CellRecord[]; lines: InstanceLine[] } {
  const cells: CellRecord[] = [];
  const lines: InstanceLine[] = [];
  const okRecords = (variantId: string, suite: LoadedSuite): InstanceRecord[] | undefined => {
    const o = outcome(variantId, suite.spec.id);
    return o.state === 'ok' ? orderedRecords(suite, o.records) : undefined;
  };
  for (const variantId of variantIds) {
    const parent = comparedTo(variantId);
    for (const suite of typeof suites === 'function' ? suites(variantId) : suites) {
      const o = outcome(variantId, suite.spec.id);
      const common = { variantId, suiteId: suite.spec.id, durationMs: Math.round(o.durationMs) };
      if (o.state === 'errored') {
        cells.push({ state: 'errored', ...common, error: o.error });
        continue;
      }
      const records = orderedRecords(suite, o.records);
      for (const r of records) lines.push({ variantId, ...r });
      if (records.length < suite.instances.length) {
        cells.push({ state: 'errored', ...common, error: `${suite.instances.length - records.length} of ${suite.instances.length} instances have no result` });
        continue;
      }
      const aggregate = aggregateRecords(suite, records, { seed });
      const base = parent === undefined || parent === variantId ? undefined : okRecords(parent, suite);
      const vsBaseline = base ? compareCell(suite, base, records, seed) : undefined;
      const failed = records.filter((r) => r.state === 'errored');
      const instanceErrors = failed.length === 0 ? undefined : {
        count: failed.length, of: records.length, ids: failed.slice(0, 50).map((r) => r.instanceId), first: failed[0].state === 'errored' ? failed[0].error : '',
      };
      const agreement = parent !== undefined && parent !== variantId && AGREEMENT_SUITE_KINDS.has(suite.spec.kind) ? cellAgreement(records, parent, seed) : undefined;
      const generation = suite.spec.kind === 'generate' ? generationLengths(records) : undefined;
      cells.push({ state: 'ok', ...common, aggregate: { ...aggregate }, ...(vsBaseline ? { vsBaseline } : {}), ...(instanceErrors ? { instanceErrors } : {}), ...(agreement ? { agreement } : {}), ...(generation ? { generation } : {}) });
    }
  }
  return { cells, lines };
}

/** One slice's paired comparison: the instances tagged `tag=slice` in both runs. */
export interface SliceComparison {
  readonly tag: string;
  readonly slice: string;
  readonly paired: number;
  readonly metrics: SuiteComparison['metrics'];
}

/**
 * A cell's comparison with its parent: the suite's paired statistics overall and, for
 * each slice tag suite.json names, per slice (Δ with its paired CI, flips), so a
 * slice's damage is read from the same instances on both sides, not from two unpaired values.
 */
export function compareCell(suite: LoadedSuite, base: readonly InstanceRecord[], records: readonly InstanceRecord[], seed: number): Record<string, unknown> {
  const metrics = suite.spec.metrics.filter(isMetricId);
  const overall = compareRecords(base, records, metrics, { seed });
  const slices: SliceComparison[] = [];
  for (const tag of suite.spec.slices ?? []) {
    const values = [...new Set(records.map((r) => r.tags[tag]).filter((v): v is string => v !== undefined))].sort();
    for (const slice of values) {
      const inSlice = (r: InstanceRecord): boolean => r.tags[tag] === slice;
      const c = compareRecords(base.filter(inSlice), records.filter(inSlice), metrics, { seed });
      slices.push({ tag, slice, paired: c.paired, metrics: c.metrics });
    }
  }
  return { ...overall, ...(slices.length > 0 ? { slices } : {}) };
}

/** The run record's entry for a suite. */
export function suiteRecord(suite: LoadedSuite): SuiteRecord {
  const chance = suite.spec.chance;
  return {
    id: suite.spec.id,
    version: suite.spec.version,
    kind: suite.spec.kind,
    hash: suite.hash,
    n: suite.instances.length,
    metrics: [...suite.spec.metrics],
    ...(chance ? { chance: { metric: chance.metric, value: chance.value, how: chance.how } } : {}),
    ...suiteRoleFields(suite.spec),
  };
}

/** Cuts a suite to its first `limit` instances. */
export function limitSuite(suite: LoadedSuite, limit: number | null): LoadedSuite {
  if (limit === null || limit >= suite.instances.length) return suite;
  return { ...suite, instances: suite.instances.slice(0, limit) };
}

/**
 * Fields of run.json that legitimately differ between two runs of the same config (ids,
 * clocks, timings, measurements, which executor ran and its workers): what a resumed run may differ in from a clean one.
 */
export const VOLATILE_FIELDS = ['runId', 'createdAt', 'cells[].durationMs', 'templateSensitivity.cells[].durationMs', 'measurements', 'savings', 'resultCache', 'executor', 'variants[].selfCheck.reused'] as const;

/** A copy of a run record without its volatile fields, for equality checks. */
export function stableView(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { runId: _r, createdAt: _c, measurements: _m, savings: _s, resultCache: _rc, executor: _x, ...rest } = record;
  const cells = (rest.cells as Record<string, unknown>[] | undefined)?.map(({ durationMs: _d, ...c }) => c);
  // Whether this run re-ran a variant's self-check or reused this machine's stored result is provenance of the run, not a result.
  const variants = (rest.variants as Record<string, unknown>[] | undefined)?.map((v) => {
    const check = v.selfCheck as Record<string, unknown> | undefined;
    if (!check) return v;
    const { reused: _u, ...kept } = check;
    return { ...v, selfCheck: kept };
  });
  const sensitivity = rest.templateSensitivity as { cells: Record<string, unknown>[] } | undefined;
  const templateSensitivity = sensitivity && { ...sensitivity, cells: sensitivity.cells.map(({ durationMs: _d, ...c }) => c) };
  return { ...rest, ...(cells ? { cells } : {}), ...(variants ? { variants } : {}), ...(templateSensitivity ? { templateSensitivity } : {}) };
}
