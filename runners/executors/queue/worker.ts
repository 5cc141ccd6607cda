/**
 * `compbench worker`: takes shard jobs from the queue on any machine that mounts the
 * store, `workers` at a time, each in a sandboxed processor (processor.ts) so a native
 * crash costs one attempt of one job. The processors start with the worker, before its
 * first job and before it loads BullMQ (early-processors.ts), and serve job after job,
 * keeping their open models.
 * Stops on SIGINT/SIGTERM after the jobs in hand, and on a job from another compbench
 * version or a payload that is not a compbench shard (one line; the caller exits 2): a
 * queue shared with something else is a set-up error.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'bullmq';
import { InputError, messageOf } from '../../../core/errors.js';
import { checkQueueConnection, parseQueueUrl } from './connection.js';
import { adoptEarlyProcessors, discardEarlyProcessors, startEarlyProcessors, type EarlyProcessors } from './early-processors.js';
import { FOREIGN_REFUSAL, VERSION_REFUSAL, type QueueJobResult } from './job-result.js';
import { JOB_OPTIONS, QUEUE_NAME, lockSettings } from './settings.js';
import { warmProcessors } from './warm-processors.js';

/** Options of {@link runQueueWorker} (the flags of `compbench worker`). */
export interface QueueWorkerOptions {
  readonly url: string;
  /** Jobs in hand at once, each in its own processor process. */
  readonly workers: number;
  /** This machine's mount of the store (the coordinator's cache folder). */
  readonly cacheDir: string;
  /** Resolves to stop the worker (after the jobs in hand); default: SIGINT or SIGTERM. */
  readonly stop?: Promise<void>;
}

/** Runs the worker until stopped; rejects with an InputError on a bad URL, a job from another version or a foreign payload. */
export async function runQueueWorker(options: QueueWorkerOptions, log: (line: string) => void): Promise<void> {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new InputError(`--workers ${options.workers}: give a positive integer`);
  const connection = parseQueueUrl(options.url);
  const id = `${hostname()}:${process.pid}`;
  const processorFile = fileURLToPath(new URL('./processor.js', import.meta.url));
  const workerForkOptions = { env: { ...process.env, COMPBENCH_STORE: options.cacheDir, COMPBENCH_QUEUE_WORKER_ID: id } };
  // The processors start loading now, beside BullMQ's own load and the connection check.
  const warming = performance.now();
  const early = startEarlyProcessors(processorFile, options.workers, workerForkOptions);
  let worker: Worker<unknown, QueueJobResult>;
  try {
    const [bullmq] = await Promise.all([import('bullmq'), checkQueueConnection(connection)]);
    // Workers only read the store (it may be a read-only mount), and it may appear after them.
    if (!existsSync(options.cacheDir)) log(`worker: the store ${options.cacheDir} does not exist (yet); jobs fail until the coordinator's cache folder is mounted there (--cache-dir)`);
    worker = new bullmq.Worker<unknown, QueueJobResult>(QUEUE_NAME, processorFile, {
      connection: connection.options,
      concurrency: options.workers,
      ...lockSettings(),
      maxStalledCount: JOB_OPTIONS.attempts,
      // Processes, not threads: a native crash must cost one processor, not this worker.
      useWorkerThreads: false,
      // Started below, once its processors are warm.
      autorun: false,
      workerForkOptions,
    });
  } catch (e) {
    if (early) await discardEarlyProcessors(early);
    throw e;
  }
  let refusal: InputError | undefined;
  let finish: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (finish = resolve));
  worker.on('error', (e) => log(`worker ${id}: ${e.message}`));
  worker.on('completed', (job, value) => {
    const r = value.result;
    log(`worker ${id}: ${job.data && typeof job.data === 'object' ? String((job.data as { label?: unknown }).label) : '?'}: ${r.records.length} instance(s) in ${(r.durationMs / 1000).toFixed(1)} s${r.state === 'failed' ? ` (failed: ${r.error})` : ''}`);
  });
  worker.on('failed', (job, e) => {
    log(`worker ${id}: job ${job?.id?.slice(0, 12) ?? '?'} failed attempt ${job?.attemptsMade ?? '?'}: ${e.message}`);
    const prefix = [VERSION_REFUSAL, FOREIGN_REFUSAL].find((p) => e.message.startsWith(p));
    if (prefix !== undefined) {
      const why = prefix === FOREIGN_REFUSAL ? `${e.message}; give compbench a Redis database of its own (redis://HOST:PORT/N)` : e.message.slice(prefix.length).trim();
      refusal ??= new InputError(`worker ${id} refused job ${job?.id?.slice(0, 12) ?? '?'}: ${why}`);
      finish();
    }
  });
  const onSignal = (): void => finish();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const warm = await processorsOf(worker, early, processorFile, options.workers);
  worker.run().catch((e: unknown) => log(`worker ${id}: ${messageOf(e)}`));
  log(`worker ${id}: taking shards from ${connection.display} (${QUEUE_NAME}), ${options.workers} at a time (${warm} processor(s) warm in ${((performance.now() - warming) / 1000).toFixed(1)} s), store ${options.cacheDir}`);
  await Promise.race([stopped, options.stop ?? new Promise<never>(() => undefined)]);
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  log(`worker ${id}: stopping after the jobs in hand`);
  await worker.close();
  if (refusal) throw refusal;
}

/** Hands the early processors to `worker`, or (a BullMQ that cannot take them) warms its own; resolves to how many are warm. */
async function processorsOf(worker: Worker, early: EarlyProcessors | undefined, processorFile: string, count: number): Promise<number> {
  if (early && adoptEarlyProcessors(worker, early, processorFile)) return early.ready;
  if (early) await discardEarlyProcessors(early);
  return warmProcessors(worker, processorFile, count);
}
