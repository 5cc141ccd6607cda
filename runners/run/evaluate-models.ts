import { relative } from 'node:path';
import { messageOf } from '../../core/errors.js';
import { PACKAGE_ROOT } from '../../core/paths.js';
import { RUN_RECORD_VERSION, type CellRecord, type RunRecord, type SuiteRecord, type VariantRecord } from '../../core/run-record.js';
import { compareRecords, isMetricId, loadSuite, type InstanceRecord, type LoadedSuite } from '../../suites/index.js';
import { evaluateSuite } from '../evaluate-suite.js';
import { hardwareFingerprint } from '../hardware.js';
import { OnnxDecoderAdapter } from '../onnx-adapter.js';
import { harnessVersion } from './harness-version.js';
import { hashModelFiles } from './model-hash.js';

/** A model to evaluate as it is (no compression). */
export interface ModelSpec {
  readonly id: string;
  readonly dir: string;
  readonly distilledFrom?: string;
}

/** What {@link evaluateModels} runs: the first model is the baseline. */
export interface EvaluationPlan {
  readonly models: readonly ModelSpec[];
  readonly suiteDirs: readonly string[];
  /** Evaluate only the first N instances of each suite (smoke runs). */
  readonly limit?: number;
  readonly seed: number;
  readonly intraOpNumThreads: number;
}

/** A finished evaluation: the run record and one line per instance (with its variant id). */
export interface EvaluationResult {
  readonly record: RunRecord;
  readonly instances: ReadonlyArray<InstanceRecord & { readonly variantId: string }>;
}

/**
 * Evaluates every model on every suite and compares each with the first (the
 * baseline) on the same instances. A cell that fails is recorded with its reason and
 * the others go on; invalid input (a suite, a model folder) throws an InputError first.
 */
export async function evaluateModels(plan: EvaluationPlan, log: (line: string) => void): Promise<EvaluationResult> {
  const suites = plan.suiteDirs.map((dir) => limitSuite(loadSuite(dir), plan.limit));
  const variants: VariantRecord[] = [];
  const cells: CellRecord[] = [];
  const instances: (InstanceRecord & { variantId: string })[] = [];
  const baselineRecords = new Map<string, InstanceRecord[]>();
  for (const model of plan.models) {
    const adapter = await OnnxDecoderAdapter.load(model.dir, { intraOpNumThreads: plan.intraOpNumThreads });
    const files = hashModelFiles(adapter.folder.onnxPath.replace(/[/\\]model\.onnx$/u, ''));
    variants.push({
      id: model.id,
      model: model.id,
      method: 'none',
      params: {},
      executionForm: 'reference',
      dir: displayPath(model.dir),
      modelSha256: files.sha256,
      sizeBytes: files.sizeBytes,
      ...(model.distilledFrom ? { distilledFrom: model.distilledFrom } : {}),
    });
    try {
      for (const suite of suites) {
        const start = performance.now();
        try {
          const result = await evaluateSuite(adapter, suite, { seed: plan.seed });
          const base = baselineRecords.get(suite.spec.id);
          const vsBaseline = base ? compareRecords(base, result.records, suite.spec.metrics.filter(isMetricId), { seed: plan.seed }) : undefined;
          if (!base) baselineRecords.set(suite.spec.id, result.records);
          cells.push({ state: 'ok', variantId: model.id, suiteId: suite.spec.id, durationMs: result.durationMs, aggregate: { ...result.aggregate }, ...(vsBaseline ? { vsBaseline: { ...vsBaseline } } : {}) });
          for (const r of result.records) instances.push({ variantId: model.id, ...r });
          log(`${model.id} × ${suite.spec.id}: ${suite.instances.length} instances in ${(result.durationMs / 1000).toFixed(1)} s`);
        } catch (e) {
          cells.push({ state: 'errored', variantId: model.id, suiteId: suite.spec.id, durationMs: performance.now() - start, error: messageOf(e) });
          log(`${model.id} × ${suite.spec.id}: FAILED: ${messageOf(e)}`);
        }
      }
    } finally {
      await adapter.dispose();
    }
  }
  const record: RunRecord = {
    schemaVersion: RUN_RECORD_VERSION,
    tool: 'compbench',
    runId: `${new Date().toISOString().replace(/[:.]/gu, '-')}`,
    createdAt: new Date().toISOString(),
    harness: harnessVersion(),
    hardware: hardwareFingerprint(),
    config: { models: plan.models.map((m) => ({ ...m, dir: displayPath(m.dir) })), suites: plan.suiteDirs.map(displayPath), limit: plan.limit ?? null, seed: plan.seed, intraOpNumThreads: plan.intraOpNumThreads },
    baseline: plan.models[0].id,
    variants,
    suites: suites.map(suiteRecord),
    cells,
    complete: cells.every((c) => c.state === 'ok'),
  };
  return { record, instances };
}

function limitSuite(suite: LoadedSuite, limit: number | undefined): LoadedSuite {
  if (limit === undefined || limit >= suite.instances.length) return suite;
  return { ...suite, instances: suite.instances.slice(0, limit) };
}

function suiteRecord(suite: LoadedSuite): SuiteRecord {
  return { id: suite.spec.id, version: suite.spec.version, kind: suite.spec.kind, hash: suite.hash, n: suite.instances.length, metrics: [...suite.spec.metrics] };
}

function displayPath(path: string): string {
  const rel = relative(PACKAGE_ROOT, path);
  return rel.startsWith('..') ? path : rel || '.';
}
