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
import type { QueueJobResult } from './job-result.js';
import { JOB_OPTIONS, QUEUE_NAME } from './settings.js';
import { ensureStoreReadme } from './store-readme.js';
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
    ensureStoreReadme(context.cacheDir);
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
    const settleFinished = (id: string, job: Job<unknown, QueueJobResult>, state: 'completed' | 'failed'): void => {
      const task = byId.get(id)![0].task;
      const value = job.returnvalue as QueueJobResult | null;
      // Every start after the first followed a crashed processor or a stalled (killed) worker.
      if (pending.has(id)) this.retriedAttempts += Math.max(0, job.attemptsStarted - 1);
      if (state === 'completed' && value?.result) settle(id, value.result, value.workerId);
      else if (state === 'completed') settle(id, failedResult(task, 'queue: the job finished without a shard result (a worker of another program on this queue?)'));
      else {
        this.failedJobs += 1;
        settle(id, failedResult(task, `queue: the shard failed ${job.attemptsMade} attempt(s): ${job.failedReason}`));
      }
    };
    // The state first: a job read before it finished would carry no result. A completed
    // event names the state already, which saves a round trip per shard.
    const inspect = async (id: string, known?: 'completed'): Promise<void> => {
      if (!pending.has(id)) return;
      const state = known ?? (await this.queue.getJobState(id));
      if (state !== 'completed' && state !== 'failed') return;
      const job = await Job.fromId<unknown, QueueJobResult>(this.queue, id);
      if (job) settleFinished(id, job, state);
    };
    const inspectLater = (id: string, known?: 'completed'): void =>
      void inspect(id, known).catch((e: unknown) => {
        failure ??= e;
        wake();
      });
    this.events.on('completed', ({ jobId }) => inspectLater(jobId, 'completed'));
    this.events.on('failed', ({ jobId }) => inspectLater(jobId));
    this.events.on('stalled', ({ jobId }) => {
      if (!pending.has(jobId)) return;
      this.context.log(`queue: shard ${jobId.slice(0, 12)} (${payloads.get(jobId)?.label}) stalled (its worker stopped renewing the lock) and returns to the queue`);
    });

    // A shard finished before this run (a resume, another coordinator) is already there and
    // is not added again; one that failed every attempt earlier gets a fresh set of attempts.
    // (BullMQ would also ignore an add with a known id; asking first lets the record count reuses.)
    const ids = [...byId.keys()];
    const earlier = new Map<string, string>();
    // Asked all at once: ioredis sends them back to back rather than one round trip each.
    const states = await Promise.all(ids.map((id) => this.queue.getJobState(id)));
    ids.forEach((id, i) => earlier.set(id, states[i]));
    for (const [id, state] of earlier) {
      if (state === 'failed') await (await Job.fromId(this.queue, id))?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      if (state !== 'completed') continue;
      // A shard that reported its own failure (time budget, fatal error) is computed again, as a local rerun would.
      const job = await Job.fromId<unknown, QueueJobResult>(this.queue, id);
      if (job && job.returnvalue?.result?.state !== 'ok') {
        await job.remove();
        earlier.set(id, 'unknown');
      }
    }
    const fresh = ids.filter((id) => earlier.get(id) === 'unknown');
    for (let i = 0; i < fresh.length; i += ADD_CHUNK) {
      await this.queue.addBulk(fresh.slice(i, i + ADD_CHUNK).map((id) => ({ name: 'shard', data: payloads.get(id)!, opts: { ...JOB_OPTIONS, jobId: id } })));
    }
    this.reusedJobs += ids.filter((id) => earlier.get(id) === 'completed').length;
    for (const id of ids) if (earlier.get(id) === 'completed') await inspect(id);
    if ((await this.queue.getWorkers()).length === 0 && pending.size > 0) {
      this.context.log(`queue: ${pending.size} shard(s) wait on ${this.connection.display} and no worker is connected; start one on any machine that mounts the cache folder: compbench worker --queue ${this.connection.display} --cache-dir <cache>`);
    }
    while (pending.size > 0 && failure === undefined) {
      const quiet = await new Promise<boolean>((resolve) => {
        wake = () => resolve(false);
        setTimeout(() => resolve(true), POLL_MS).unref();
      });
      // Only after POLL_MS without any result: asking for every pending shard after each
      // result cost one Redis round trip per pending shard per result (n²/2 over a run).
      if (quiet && pending.size > 0 && failure === undefined) for (const id of [...pending]) await inspect(id);
    }
    this.events.removeAllListeners('completed').removeAllListeners('failed').removeAllListeners('stalled');
    if (failure !== undefined) throw failure;
    for (const w of this.shares.list()) {
      this.context.log(`queue: worker ${w.id}: ${w.shards} shard(s), ${w.instances} instances, ${w.instancesPerS} instances/s of busy time${w.failedShards > 0 ? `, ${w.failedShards} failed shard(s)` : ''}`);
    }
    if (this.retriedAttempts > 0 || this.failedJobs > 0) this.context.log(`queue: ${this.retriedAttempts} attempt(s) retried, ${this.failedJobs} shard(s) failed every attempt`);
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
