/**
 * Turns per-instance records into the run record's cells: aggregates per cell, and each
 * variant against the baseline on the same instances. Pure and deterministic: records
 * are put in suite instance order first, whatever order the shards finished in.
 */
import type { CellRecord, SuiteRecord } from '../../core/run-record.js';
import { aggregateRecords, compareRecords, isMetricId, suiteRoleFields, type InstanceRecord, type LoadedSuite } from '../../suites/index.js';

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
 * instance is errored (fail-closed); the baseline's records pair with each variant's.
 */
export function assembleCells(
  variantIds: readonly string[],
  baseline: string,
  suites: readonly LoadedSuite[],
  outcome: (variantId: string, suiteId: string) => CellOutcome,
  seed: number,
): { cells: CellRecord[]; lines: InstanceLine[] } {
  const cells: CellRecord[] = [];
  const lines: InstanceLine[] = [];
  const baseRecords = new Map<string, InstanceRecord[]>();
  for (const suite of suites) {
    const b = outcome(baseline, suite.spec.id);
    if (b.state === 'ok') baseRecords.set(suite.spec.id, orderedRecords(suite, b.records));
  }
  for (const variantId of variantIds) {
    for (const suite of suites) {
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
      const base = baseRecords.get(suite.spec.id);
      const vsBaseline = variantId !== baseline && base ? compareRecords(base, records, suite.spec.metrics.filter(isMetricId), { seed }) : undefined;
      const failed = records.filter((r) => r.state === 'errored');
      const instanceErrors = failed.length === 0 ? undefined : {
        count: failed.length, of: records.length, ids: failed.slice(0, 50).map((r) => r.instanceId), first: failed[0].state === 'errored' ? failed[0].error : '',
      };
      cells.push({ state: 'ok', ...common, aggregate: { ...aggregate }, ...(vsBaseline ? { vsBaseline: { ...vsBaseline } } : {}), ...(instanceErrors ? { instanceErrors } : {}) });
    }
  }
  return { cells, lines };
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
 * clocks, timings, measurements): what a resumed run may differ in from a clean one.
 */
export const VOLATILE_FIELDS = ['runId', 'createdAt', 'cells[].durationMs', 'measurements', 'resultCache', 'variants[].selfCheck.reused'] as const;

/** A copy of a run record without its volatile fields, for equality checks. */
export function stableView(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { runId: _r, createdAt: _c, measurements: _m, resultCache: _rc, ...rest } = record;
  const cells = (rest.cells as Record<string, unknown>[] | undefined)?.map(({ durationMs: _d, ...c }) => c);
  // Whether this run re-ran a variant's self-check or reused this machine's stored result is provenance of the run, not a result.
  const variants = (rest.variants as Record<string, unknown>[] | undefined)?.map((v) => {
    const check = v.selfCheck as Record<string, unknown> | undefined;
    if (!check) return v;
    const { reused: _u, ...kept } = check;
    return { ...v, selfCheck: kept };
  });
  return { ...rest, ...(cells ? { cells } : {}), ...(variants ? { variants } : {}) };
}
