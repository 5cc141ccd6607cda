/**
 * `compbench run`, as stages: config → variants (compressed once, cached) → cells
 * (variant × suite) split into shards → results cache (fsynced) → run record →
 * measurements. Resumable: every finished shard is on disk, so a rerun computes only
 * what is missing, and `--resume` keeps the interrupted run's id.
 */
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { PACKAGE_ROOT } from '../../core/paths.js';
import { RUN_RECORD_VERSION, type MeasurementRecord, type RunRecord } from '../../core/run-record.js';
import type { InstanceRecord, LoadedSuite } from '../../suites/index.js';
import { hardwareFingerprint } from '../hardware.js';
import { resolveMeasureSettings, type MeasureSettings } from '../measure/index.js';
import { harnessVersion } from '../run/harness-version.js';
import { buildVariants } from './build-variants.js';
import { removeDeadTemps } from './debris.js';
import { selfCheckVariants } from './self-check-step.js';
import { describeBackends } from './backend-step.js';
import { assembleCells, limitSuite, suiteRecord, type CellOutcome, type InstanceLine } from './assemble.js';
import { loadRunConfig, type ResolvedRunConfig } from './config.js';
import { importedModelDir } from '../import/index.js';
import { localExecutor } from '../executors/local/executor.js';
import type { ShardExecutor, ShardExecutorFactory, ShardJob } from './executor.js';
import { measureVariants } from './measure-step.js';
import { ensureWritableDir } from '../../core/atomic-write.js';
import { ensureOutDir, failRunState, finishRunState, startRunState, writeAtomically } from './output.js';
import { acquireRunLock, type RunLock } from './run-lock.js';
import { envelopeForRecord } from './change-envelope.js';
import { joinProblems, planVariants, type VariantPlan } from './plan.js';
import { modelSuitePicker } from './model-suites.js';
import { compressProblems, loadSuites } from './precheck.js';
import { ProgressReporter } from './progress.js';
import { appendResults, readResults, resultFile } from './result-cache.js';
import { splitShards, testFaultFor, type ShardTask } from './shard.js';
import { assembleTemplateCells, planTemplateCells } from './template-cells.js';
import { agreementTaskFor, resultKey, usableCachedRecord } from './agreement-plan.js';
import { describeCapacity } from './capacity-step.js';
import { runSavings } from '../../core/savings.js';

/** Options of {@link runMatrix} (the flags of `compbench run`). */
export interface MatrixOptions {
  /** Config file; absent: the bundled default. */
  readonly configFile?: string;
  readonly outDir: string;
  /** Finish the interrupted run in `outDir` (same config). */
  readonly resume?: boolean;
  readonly workers?: number;
  readonly limit?: number;
  readonly cacheDir?: string;
  /** The lock of `outDir`, when the caller holds it across gate and report; else taken and released here. */
  readonly lock?: RunLock;
  /** More checks before anything runs (the CLI checks the gate policy); problems, each one line. */
  readonly precheck?: (config: ResolvedRunConfig) => string[];
  /** False: no progress bar or progress lines (`--quiet`). */
  readonly progress?: boolean;
  /** Score every variant under every template of a suite's `templateVariants` (default: parents only). */
  readonly allTemplates?: boolean;
  /** Where shards are evaluated (default: the local worker pool; `--queue`: executors/queue). */
  readonly executor?: ShardExecutorFactory;
}

/** What {@link runMatrix} returns; the CLI gates and reports from `record`. */
export interface MatrixResult {
  readonly record: RunRecord;
  readonly outDir: string;
  /** Instances evaluated in this run. */
  readonly computedInstances: number;
  /** Instances taken from the results cache. */
  readonly cachedInstances: number;
}

interface CellState {
  readonly records: Map<string, InstanceRecord>;
  durationMs: number;
  error?: string;
  pendingShards: number;
}

/**
 * Instances per request batch inside a shard (the granularity of the time budget). A
 * multiple of the adapter's 16-row forward batches and as large as a default shard: a
 * request batch of 20 ended in a 4-row generation batch that costs almost as much per
 * decode step as a full one (measured: 1 worker 11.0 s → 10.3 s on the bench's 8 suites).
 */
const BATCH_SIZE = 128;

/**
 * Runs the matrix and writes `<out>/run.json` and `<out>/instances.jsonl`, holding the
 * folder's lock; a run stopped by an error marks the folder failed (core/run-state.ts).
 */
export async function runMatrix(options: MatrixOptions, log: (line: string) => void): Promise<MatrixResult> {
  const outDir = ensureOutDir(options.outDir);
  const lock = options.lock ?? acquireRunLock(outDir, log);
  try {
    return await evaluateMatrix(outDir, options, log);
  } catch (e) {
    failRunState(outDir, e);
    throw e;
  } finally {
    if (!options.lock) lock.release();
  }
}

async function evaluateMatrix(outDir: string, options: MatrixOptions, log: (line: string) => void): Promise<MatrixResult> {
  const loadedConfig = loadRunConfig(options.configFile, { limit: options.limit, workers: options.workers, cacheDir: options.cacheDir });
  ensureWritableDir(loadedConfig.cacheDir, { flag: '--cache-dir' });
  // safetensors folders run as their ONNX import (cached by content)
  const config = { ...loadedConfig, models: loadedConfig.models.map((m) => ({ ...m, dir: importedModelDir(m.dir, loadedConfig.cacheDir, log) })) };
  const measureSettings = config.measurement.enabled ? checkedMeasureSettings(config) : undefined;
  // Everything is checked before anything starts: one message lists every problem.
  const problems: string[] = [];
  let plans: VariantPlan[] = [];
  try {
    plans = planVariants(config, problems);
  } catch (e) {
    problems.push(messageOf(e).replace(`${config.source}: `, ''));
  }
  problems.push(...compressProblems(plans, config));
  const loaded = loadSuites(config, (s) => limitSuite(s, config.limit));
  problems.push(...loaded.problems, ...(options.precheck?.(config) ?? []));
  if (problems.length > 0) throw new InputError(`${config.source}: the matrix cannot run (nothing was started): ${joinProblems(problems)}`);
  // Made before anything starts: a queue that cannot be reached is an input error, not a lost run.
  const executor = await (options.executor ?? localExecutor)({ workers: config.execution.workers, cacheDir: config.cacheDir, log });
  try {
    return await evaluateCells(outDir, options, config, plans, loaded.suites, measureSettings, executor, log);
  } finally {
    await executor.close();
  }
}

async function evaluateCells(
  outDir: string,
  options: MatrixOptions,
  config: ResolvedRunConfig,
  plans: VariantPlan[],
  suites: readonly LoadedSuite[],
  measureSettings: MeasureSettings | undefined,
  executor: ShardExecutor,
  log: (line: string) => void,
): Promise<MatrixResult> {
  const picker = modelSuitePicker(config, suites);
  const configJson = configRecord(config);
  const { execution: _e, ...stable } = configJson;
  const state = startRunState(outDir, sha256(JSON.stringify({ ...stable, shardSize: config.execution.shardSize, ...(options.allTemplates ? { allTemplates: true } : {}) })), config.cacheDir, options.resume ?? false, log);
  const { workers, intraOpNumThreads } = config.execution;
  log(`run ${state.runId}: ${plans.length} variants × ${suites.length} suites, ${workers} workers × ${intraOpNumThreads} threads, cache ${config.cacheDir}`);

  const debris = removeDeadTemps([outDir, join(config.cacheDir, 'variants')]);
  if (debris.length > 0) log(`removed ${debris.length} temporary file(s) of dead processes: ${debris.join(', ')}`);
  const variants = describeCapacity(await describeBackends(await selfCheckVariants(await buildVariants(plans, config, log), config, log), intraOpNumThreads, log), log);

  const cells = new Map<string, CellState>();
  const jobs: ShardJob<{ cell: string; file: string | undefined; fresh: number }, ShardTask>[] = [];
  let cachedInstances = 0;
  let rejectedCacheLines = 0;
  let totalInstances = 0;
  let cellsDone = 0;
  const agreementOf = agreementTaskFor(variants, config.cacheDir);
  const parents = new Map(variants.map((v) => [v.record.id, v.record.comparedTo]));
  const models = new Map(variants.map((v) => [v.record.id, v.record.model]));
  const templateCells = planTemplateCells(variants.map((v) => v.record), (id) => picker.suites(models.get(id)!), options.allTemplates ?? false);
  const cellSuites = (v: (typeof variants)[number]): { suite: LoadedSuite; template?: string }[] => [
    ...picker.suites(v.record.model).map((suite) => ({ suite })),
    ...templateCells.filter((t) => t.variantId === v.record.id).map(({ suite, template }) => ({ suite, template })),
  ];
  for (const v of variants) {
    for (const { suite, template } of cellSuites(v)) {
      const cell: CellState = { records: new Map(), durationMs: 0, pendingShards: 0 };
      const key = cellKey(v.record.id, suite.spec.id, template);
      cells.set(key, cell);
      totalInstances += suite.instances.length;
      if (v.state === 'errored') {
        cell.error = v.error;
        cellsDone += 1;
        continue;
      }
      // A score that depends on its batch mates would freeze whichever batch came first.
      const cacheKey = resultKey(v);
      const file = v.record.batching?.invariant === false ? undefined : resultFile(config.cacheDir, cacheKey, suite.hash);
      // Agreement rows are the primary template's (their folder is named by the suite's hash).
      const agreement = template === undefined ? agreementOf(v, suite) : undefined;
      const read = file ? readResults(file, suite.spec.id, template) : { records: new Map<string, InstanceRecord>(), rejected: 0 };
      const cached = read.records;
      if (read.rejected > 0) {
        rejectedCacheLines += read.rejected;
        log(`result cache: ${read.rejected} line(s) of ${v.record.id} × ${suite.spec.id} rejected and recomputed (${read.firstProblem ?? 'unreadable'})`);
      }
      const missing: string[] = [];
      for (const inst of suite.instances) {
        const cachedHit = cached.get(inst.id);
        const hit = cachedHit && usableCachedRecord(agreement, cachedHit);
        if (hit && hit.instanceHash === inst.hash) cell.records.set(inst.id, hit);
        else missing.push(inst.id);
      }
      cachedInstances += cell.records.size;
      // Rolling (perplexity) instances are whole documents, ~10× an item: smaller shards balance the workers.
      const shardSize = suite.spec.kind === 'rolling' ? Math.max(1, Math.ceil(config.execution.shardSize / 10)) : config.execution.shardSize;
      const shards = executor.wholeCellShards
        ? splitShards(suite.instances.map((i) => i.id), shardSize).filter((s) => s.some((id) => !cell.records.has(id)))
        : splitShards(missing, shardSize);
      cell.pendingShards = shards.length;
      if (shards.length === 0) cellsDone += 1;
      const testFault = template === undefined ? testFaultFor(v.record.id, suite.spec.id) : undefined;
      for (const instanceIds of shards) {
        jobs.push({
          key: { cell: key, file, fresh: instanceIds.filter((id) => !cell.records.has(id)).length },
          task: { kind: 'shard', variantDir: v.dir, suiteFile: suite.file, instanceIds, ...(template ? { template } : {}), intraOpNumThreads, timeoutMs: config.execution.cellTimeoutS * 1000, batchSize: BATCH_SIZE, ...(agreement ? { agreement } : {}), ...(testFault ? { testFault } : {}) },
          content: { variantHash: cacheKey, suiteHash: suite.hash, label: `${v.record.id} × ${suite.spec.id}${template ? ` @${template}` : ''}` },
        });
      }
    }
  }

  let computedInstances = 0;
  const progress = new ProgressReporter({ cells: cells.size, instances: totalInstances, fromCache: cachedInstances, cellsDone }, options.progress === false ? () => {} : log, options.progress === false ? false : undefined);
  progress.report(true);
  progress.startTimer();
  try {
    await executor.run(jobs, (job, result) => {
      if (job.key.file) appendResults(job.key.file, result.records, result.state === 'ok');
      const cell = cells.get(job.key.cell)!;
      for (const r of result.records) cell.records.set(r.instanceId, r);
      cell.durationMs += result.durationMs;
      if (result.state === 'failed') cell.error ??= result.error;
      cell.pendingShards -= 1;
      computedInstances += result.records.length;
      progress.add(job.key.fresh, cell.pendingShards === 0);
    });
  } finally {
    progress.end();
  }
  log(`${computedInstances} instances computed, ${cachedInstances} from cache`);

  const outcome = (variantId: string, suiteId: string, template?: string): CellOutcome => {
    const c = cells.get(cellKey(variantId, suiteId, template))!;
    return c.error !== undefined ? { state: 'errored', error: c.error, durationMs: c.durationMs } : { state: 'ok', records: c.records, durationMs: c.durationMs };
  };
  const variantIds = variants.map((v) => v.record.id);
  const { cells: cellRecords, lines } = assembleCells(variantIds, (id) => parents.get(id), (id) => picker.suites(models.get(id)!), outcome, config.seed);
  const sensitivity = assembleTemplateCells(templateCells, suites, variantIds, (id) => parents.get(id), outcome, cellRecords, options.allTemplates ?? false, config.seed);
  lines.push(...(sensitivity?.lines ?? []));
  writeAtomically(join(outDir, 'instances.jsonl'), lines.map((l: InstanceLine) => JSON.stringify(l)).join('\n') + (lines.length > 0 ? '\n' : ''));

  const hardware = hardwareFingerprint();
  let measurements: MeasurementRecord[] | undefined;
  if (measureSettings) {
    log(`measuring ${variants.length} variants, one at a time`);
    measurements = await measureVariants(variants, measureSettings, { cacheDir: config.cacheDir, reuse: config.measurement.reuse, hardware }, log);
  }
  const recordVariants = variants.map((v) => {
    const own = picker.recorded(v.record.model);
    return { ...v.record, dir: displayPath(v.record.dir), ...(own ? { suites: own } : {}) };
  });
  const record: RunRecord = {
    schemaVersion: RUN_RECORD_VERSION,
    tool: 'compbench',
    runId: state.runId,
    createdAt: state.createdAt,
    harness: harnessVersion(),
    hardware,
    config: configJson,
    baseline: config.baseline,
    pairing: 'parent',
    variants: recordVariants,
    suites: suites.map(suiteRecord),
    cells: cellRecords,
    ...(measurements ? { measurements, savings: runSavings(recordVariants, measurements, config.cost) } : {}),
    resultCache: { reusedInstances: cachedInstances, computedInstances, rejectedLines: rejectedCacheLines },
    executor: executor.record(),
    ...(sensitivity ? { templateSensitivity: sensitivity.record } : {}),
    complete: cellRecords.every((c) => c.state === 'ok'),
  };
  writeAtomically(join(outDir, 'run.json'), `${JSON.stringify(record, null, 1)}\n`);
  finishRunState(outDir, state);
  return { record, outDir, computedInstances, cachedInstances };
}

function checkedMeasureSettings(config: ResolvedRunConfig): MeasureSettings {
  try {
    return resolveMeasureSettings(config.measurement.settings as MeasureSettings);
  } catch (e) {
    throw e instanceof InputError ? new InputError(`${config.source}: $.measurement.${e.message}`) : e;
  }
}

function cellKey(variantId: string, suiteId: string, template?: string): string {
  return `${variantId}\u0000${suiteId}${template === undefined ? '' : `\u0000${template}`}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The resolved config as recorded in run.json (paths relative to the package where inside it). */
function configRecord(config: ResolvedRunConfig): Record<string, unknown> {
  return {
    source: displayPath(config.source),
    models: config.models.map(modelRecord),
    baseline: config.baseline,
    methods: config.methods,
    suites: config.suites.map(displayPath),
    seed: config.seed,
    limit: config.limit,
    calibration: config.calibration.textFile ? { ...config.calibration, textFile: displayPath(config.calibration.textFile) } : config.calibration,
    measurement: config.measurement,
    execution: config.execution,
    cacheDir: displayPath(config.cacheDir),
    changeEnvelope: envelopeForRecord(config.changeEnvelope, displayPath),
    changeRecord: config.changeRecord ?? {},
    gatePolicy: typeof config.gatePolicy === 'string' ? displayPath(config.gatePolicy) : config.gatePolicy,
    ...(config.cost ? { cost: config.cost } : {}),
  };
}

/** A model entry as recorded: its folder, suites and calibration file relative to the package where inside it. */
function modelRecord(m: ResolvedRunConfig['models'][number]): Record<string, unknown> {
  const text = m.calibration?.textFile;
  return { ...m, dir: displayPath(m.dir), ...(m.suites ? { suites: m.suites.map(displayPath) } : {}), ...(text ? { calibration: { ...m.calibration, textFile: displayPath(text) } } : {}) };
}

function displayPath(path: string): string {
  if (path === 'default' || path === '') return path;
  const rel = relative(PACKAGE_ROOT, path);
  return rel.startsWith('..') || rel.startsWith('/') ? path : rel || '.';
}
