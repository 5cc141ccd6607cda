/**
 * Piscina worker: answers one shard. It keeps the last few model adapters (one per
 * variant folder or .gguf file, opened by openModel) and loaded suites across tasks.
 * A forward pass is native and a worker must never be terminated inside it, so the time
 * budget is enforced here, between batches, and the rest of a late shard is returned as
 * a failure.
 */
import { InputError, messageOf } from '../../../core/errors.js';
import type { ModelAdapter } from '../../../core/requests.js';
import { answerRequests, buildRequests, loadSuite, scoreInstances, suiteUnderTemplate, type InstanceRecord, type LoadedSuite } from '../../../suites/index.js';
import { selfCheckVariant } from '../../compress/self-check.js';
import { compressModel } from '../../compress/variants.js';
import { openModel } from '../../backends/open-model.js';
import { scoreWithAgreement } from '../../agreement/shard-agreement.js';
import type { AnyWorkerResult, CompressResult, CompressTask, SelfCheckResult, SelfCheckTask, ShardResult, ShardTask, WorkerTask } from '../../matrix/shard.js';

/** Sessions kept per worker (least recently used is released first). */
const MAX_SESSIONS = 3;
const sessions = new Map<string, Promise<ModelAdapter>>();
const suites = new Map<string, LoadedSuite>();

async function adapterFor(dir: string, threads: number): Promise<ModelAdapter> {
  const key = `${dir}\0${threads}`;
  let got = sessions.get(key);
  if (got) {
    sessions.delete(key);
  } else {
    got = openModel(dir, { threads });
    got.catch(() => sessions.delete(key));
  }
  sessions.set(key, got);
  while (sessions.size > MAX_SESSIONS) {
    const [oldest, adapter] = sessions.entries().next().value as [string, Promise<ModelAdapter>];
    sessions.delete(oldest);
    void adapter.then((a) => a.dispose?.()).catch(() => undefined);
  }
  return got;
}

function suiteFor(file: string): LoadedSuite {
  let s = suites.get(file);
  if (!s) suites.set(file, (s = loadSuite(file)));
  return s;
}

/** Test-only: an adapter whose log-likelihoods and NLLs are NaN, as from NaN logits. */
function poisoned(model: ModelAdapter): ModelAdapter {
  return {
    name: model.name,
    loglikelihood: async (r, o) => (await model.loglikelihood(r, o)).map((x) => ({ ...x, logprob: NaN })),
    rolling: async (r, o) => (await model.rolling(r, o)).map((x) => ({ ...x, nllSum: NaN })),
    generate: async (r) => (await model.generate(r)).map((x) => ({ ...x, text: '', generatedIds: [], finishReason: 'non-finite' as const })),
  };
}

/** The worker's entry: a shard of a cell, or the compression of a variant. */
export default async function runTask(task: WorkerTask): Promise<AnyWorkerResult> {
  if (task.kind === 'compress') return runCompress(task);
  if (task.kind === 'selfcheck') return runSelfCheck(task);
  return runShard(task);
}

async function runSelfCheck(task: SelfCheckTask): Promise<SelfCheckResult> {
  const start = performance.now();
  try {
    const record = await selfCheckVariant(task.variantDir, { threads: task.threads });
    return { state: 'ok', ...(record ? { record } : {}), durationMs: performance.now() - start };
  } catch (e) {
    return { state: 'failed', error: messageOf(e), durationMs: performance.now() - start };
  }
}

async function runCompress(task: CompressTask): Promise<CompressResult> {
  const start = performance.now();
  try {
    // workers 1: the matrix already builds variants on all its workers at once.
    await compressModel(task.baseDir, task.spec, task.outDir, { calibration: task.calibration, threads: task.threads, workers: 1 });
    return { state: 'ok', durationMs: performance.now() - start };
  } catch (e) {
    return { state: 'failed', error: messageOf(e), inputError: e instanceof InputError, durationMs: performance.now() - start };
  }
}

/** Runs one shard: batches of instances → requests → responses → scored records. */
export async function runShard(task: ShardTask): Promise<ShardResult> {
  const start = performance.now();
  const records: InstanceRecord[] = [];
  // Time spent opening the model (0 when this worker had it open): the benches' phase tables.
  let openMs = 0;
  const failed = (error: string): ShardResult => ({ state: 'failed', error, records, durationMs: performance.now() - start, openMs });
  try {
    // process.abort() throws inside a worker thread; a signal takes the whole process down,
    // as a native onnxruntime abort does.
    if (task.testFault === 'abort') process.kill(process.pid, 'SIGABRT');
    if (task.testFault === 'exit') process.exit(7);
    if (task.testFault === 'throw') throw new Error('test fault: this cell throws');
    const suite = task.template === undefined ? suiteFor(task.suiteFile) : suiteUnderTemplate(suiteFor(task.suiteFile), task.template);
    const wanted = new Set(task.instanceIds);
    const instances = suite.instances.filter((i) => wanted.has(i.id));
    const opening = performance.now();
    const real = await adapterFor(task.variantDir, task.intraOpNumThreads);
    openMs = performance.now() - opening;
    const model = task.testFault === 'nan' ? poisoned(real) : real;
    for (let i = 0; i < instances.length; i += task.batchSize) {
      if (i > 0 && performance.now() - start > task.timeoutMs) {
        return failed(`timed out after ${(task.timeoutMs / 1000).toFixed(1)} s (${i} of ${instances.length} instances of this shard done)`);
      }
      const part: LoadedSuite = { ...suite, instances: instances.slice(i, i + task.batchSize) };
      const batch = task.agreement
        ? await scoreWithAgreement(model, part, task.agreement, () => adapterFor(task.agreement!.baselineDir, task.intraOpNumThreads))
        : scoreInstances(part, await answerRequests(model, buildRequests(part)));
      const fatal = batch.find((r) => r.state === 'errored' && r.isFatal);
      if (fatal && fatal.state === 'errored') return failed(fatal.error);
      records.push(...batch);
    }
    const errored = records.filter((r) => r.state === 'errored');
    if (records.length > 0 && errored.length === records.length && errored[0].state === 'errored') return failed(`every instance failed: ${errored[0].error}`);
    return { state: 'ok', records, durationMs: performance.now() - start, openMs };
  } catch (e) {
    return failed(messageOf(e));
  }
}
