/**
 * BullMQ's sandboxed processor: a child process of `compbench worker` that runs one shard
 * at a time with the local executor's shard code (executors/local/worker.ts), so a native
 * crash costs this process and one attempt of its job, never the worker. The store folder
 * and the worker's id come from the environment the worker forks it with.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SandboxedJob, UnrecoverableError as Unrecoverable } from 'bullmq';
import { runShard } from '../local/worker.js';
import { jobProblems, taskOf, versionMismatch, type QueueJobData } from './job.js';
import { FOREIGN_REFUSAL, VERSION_REFUSAL, type ProcessorTiming, type QueueJobResult } from './job-result.js';

export { FOREIGN_REFUSAL, VERSION_REFUSAL, type ProcessorTiming, type QueueJobResult } from './job-result.js';

// BullMQ's error class alone: its index (Queue, Worker, ioredis, Lua scripts) would add
// about a second to every processor's start, and a processor needs none of it.
const { UnrecoverableError } = createRequire(import.meta.url)('bullmq/dist/cjs/classes/errors/unrecoverable-error.js') as { UnrecoverableError: typeof Unrecoverable };

// The benches' timing: when this processor's modules were loaded, and how many jobs it ran.
const readyAt = Date.now();
let jobsDone = 0;

// In a worker's processor, the IPC channel closes without a stop request only when the
// worker died (kill -9): nobody can take this result, so stop rather than compute on.
if (process.env.COMPBENCH_QUEUE_WORKER_ID !== undefined && process.send) process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));

/** Runs one job; a payload that is not a compbench shard or comes from other versions fails without retries. */
export default async function processShard(job: SandboxedJob<unknown, QueueJobResult>): Promise<QueueJobResult> {
  const problems = jobProblems(job.data);
  if (problems.length > 0) throw new UnrecoverableError(`${FOREIGN_REFUSAL} ${problems.slice(0, 3).join('; ')}`);
  const data = job.data as QueueJobData;
  const mismatch = versionMismatch(data.versions);
  if (mismatch) throw new UnrecoverableError(`${VERSION_REFUSAL} ${mismatch}`);
  const store = process.env.COMPBENCH_STORE ?? '';
  const task = taskOf(data, store);
  if (!existsSync(task.variantDir)) {
    throw new UnrecoverableError(`variant ${data.variant.hash.slice(0, 12)} is not at ${task.variantDir}; mount the coordinator's cache folder on this machine and pass it as compbench worker --cache-dir`);
  }
  if (!existsSync(task.suiteFile)) throw new UnrecoverableError(`suite ${task.suiteFile} is not on this machine; put suites on the shared folder or in the compbench package`);
  // Test-only: holds the job so a test can kill its worker mid-job.
  const delayMs = Number(process.env.COMPBENCH_TEST_QUEUE_DELAY_MS ?? '0');
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  const startedAt = Date.now();
  const result = await runShard(task);
  const timing: ProcessorTiming = { pid: process.pid, forkedAt: Math.round(performance.timeOrigin), readyAt, jobsBefore: jobsDone++, startedAt, endedAt: Date.now() };
  return { result, workerId: process.env.COMPBENCH_QUEUE_WORKER_ID ?? `?:${process.pid}`, timing };
}
