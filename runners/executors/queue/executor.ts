/**
 * The queue executor (coordinator side): one BullMQ job per shard, id = the shard's
 * content hash, so adding a shard that is queued, running or finished is a no-op and a
 * finished one hands back its stored result. Results arrive through QueueEvents (with a
 * slow poll as a safety net); workers on any machine (`compbench worker`) compute them.
 */
import { Job, Queue, QueueEvents } from 'bullmq';
import { InfraError } from '../../../core/errors.js';
import type { ExecutorRecord } from '../../../core/run-record.js';
import type { ExecutorContext, ShardExecutor, ShardExecutorFactory, ShardJob } from '../../matrix/executor.js';
import { failedResult, type ShardResult, type ShardTask } from '../../matrix/shard.js';
import { checkQueueConnection, parseQueueUrl, type QueueConnection } from './connection.js';
import { jobData, shardHash } from './job.js';
import type { QueueJobResult } from './processor.js';
import { JOB_OPTIONS, QUEUE_NAME } from './settings.js';
import { WorkerShares } from './worker-shares.js';

/** Jobs added per round trip. */
const ADD_CHUNK = 500;
/** Without any event for this long, the coordinator asks Redis for the state of what it waits on. */
const POLL_MS = 5000;

/** The `--queue` executor: checks the URL (InputError naming the flag) when the run makes it. */
export function queueExecutor(url: string): ShardExecutorFactory {
  const connection = parseQueueUrl(url);
  return async (context) => {
    await checkQueueConnection(connection);
    return new QueueShardExecutor(connection, context);
  };
}

class QueueShardExecutor implements ShardExecutor {
  readonly wholeCellShards = true;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly shares = new WorkerShares();
  private retriedAttempts = 0;
  private failedJobs = 0;
  private reusedJobs = 0;
  private closed = false;

  constructor(private readonly connection: QueueConnection, private readonly context: ExecutorContext) {
    this.queue = new Queue(QUEUE_NAME, { connection: connection.options });
    this.events = new QueueEvents(QUEUE_NAME, { connection: connection.options });
    this.queue.on('error', (e) => context.log(`queue: ${e.message}`));
    this.events.on('error', (e) => context.log(`queue events: ${e.message}`));
  }

  async run<K>(jobs: readonly ShardJob<K, ShardTask>[], onDone: (job: ShardJob<K, ShardTask>, result: ShardResult) => void): Promise<void> {
    if (jobs.length === 0) return;
    // Two cells can hold the same shard (two model ids over the same bytes): one job serves both.
    const byId = new Map<string, ShardJob<K, ShardTask>[]>();
    const payloads = new Map<string, ReturnType<typeof jobData>>();
    for (const job of jobs) {
      if (!job.content) throw new InfraError('a shard reached the queue executor without its content hashes');
      const data = jobData(job.task, job.content.label, job.content.variantHash, job.content.suiteHash, this.context.cacheDir);
      const id = shardHash(data);
      byId.set(id, [...(byId.get(id) ?? []), job]);
      payloads.set(id, data);
    }
    await this.events.waitUntilReady();
    const pending = new Set(byId.keys());
    let failure: unknown;
    let wake: () => void = () => undefined;
    const settle = (id: string, result: ShardResult, workerId?: string): void => {
      if (!pending.delete(id)) return;
      if (workerId) this.shares.add(workerId, result);
      try {
        for (const job of byId.get(id)!) onDone(job, result);
      } catch (e) {
        failure ??= e;
      }
      wake();
    };
    const settleFinished = (id: string, job: Job<unknown, QueueJobResult>, state: string): void => {
      if (state === 'completed') settle(id, job.returnvalue.result, job.returnvalue.workerId);
      else if (state === 'failed') {
        this.failedJobs += 1;
        settle(id, failedResult(byId.get(id)![0].task, `queue: the shard failed ${job.attemptsMade} attempt(s): ${job.failedReason}`));
      }
    };
    const inspect = async (id: string): Promise<void> => {
      if (!pending.has(id)) return;
      const job = await Job.fromId<unknown, QueueJobResult>(this.queue, id);
      if (job) settleFinished(id, job, await job.getState());
    };
    const inspectLater = (id: string): void => void inspect(id).catch((e: unknown) => (failure ??= e));
    this.events.on('completed', ({ jobId }) => inspectLater(jobId));
    this.events.on('failed', ({ jobId }) => inspectLater(jobId));
    this.events.on('stalled', ({ jobId }) => {
      if (!pending.has(jobId)) return;
      this.retriedAttempts += 1;
      this.context.log(`queue: shard ${jobId.slice(0, 12)} (${payloads.get(jobId)?.label}) stalled (its worker stopped renewing the lock) and returns to the queue`);
    });
    this.events.on('retries-exhausted', () => undefined);

    const ids = [...byId.keys()];
    for (let i = 0; i < ids.length; i += ADD_CHUNK) {
      await this.queue.addBulk(ids.slice(i, i + ADD_CHUNK).map((id) => ({ name: 'shard', data: payloads.get(id)!, opts: { ...JOB_OPTIONS, jobId: id } })));
    }
    // A shard finished before this run (a resume, another coordinator) is already there;
    // one that failed every attempt earlier is given a fresh set of attempts.
    for (const id of ids) {
      const job = await Job.fromId<unknown, QueueJobResult>(this.queue, id);
      const state = job ? await job.getState() : 'unknown';
      if (!job || !pending.has(id)) continue;
      if (state === 'failed') await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      else {
        if (state === 'completed') this.reusedJobs += 1;
        settleFinished(id, job, state);
      }
    }
    if ((await this.queue.getWorkers()).length === 0 && pending.size > 0) {
      this.context.log(`queue: ${pending.size} shard(s) wait on ${this.connection.display} and no worker is connected; start one on any machine that mounts the cache folder: compbench worker --queue ${this.connection.display} --cache-dir <cache>`);
    }
    while (pending.size > 0 && failure === undefined) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, POLL_MS).unref();
      });
      if (pending.size > 0 && failure === undefined) for (const id of [...pending]) await inspect(id);
    }
    this.events.removeAllListeners('completed').removeAllListeners('failed').removeAllListeners('stalled');
    if (failure !== undefined) throw failure;
  }

  record(): ExecutorRecord {
    return { kind: 'queue', queue: `${this.connection.display} ${QUEUE_NAME}`, workers: this.shares.list(), retriedAttempts: this.retriedAttempts, failedJobs: this.failedJobs, reusedJobs: this.reusedJobs };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.events.close(), this.queue.close()]);
  }
}
