/**
 * Where a matrix run's time goes, for the queue executor's bench: the coordinator's side
 * (setup before the executor, result delivery and writes) from a wrapper around the
 * executor, the queue's side (enqueue, pickup, processor start, model load, scoring,
 * return) from the BullMQ jobs' timestamps and the timing each processor returns.
 * Every figure is wall-clock seconds of one run; per-job phases are summed over jobs.
 */
import { Job, Queue } from 'bullmq';
import type { ShardExecutorFactory } from '../runners/matrix/executor.js';
import type { ShardResult } from '../runners/matrix/shard.js';
import { parseQueueUrl } from '../runners/executors/queue/connection.js';
import type { QueueJobResult } from '../runners/executors/queue/job-result.js';
import { QUEUE_NAME } from '../runners/executors/queue/settings.js';

/** One shard as the coordinator saw it. */
interface Delivered {
  readonly label: string;
  readonly firstId: string;
  /** Epoch ms when the executor handed the result to the runner. */
  readonly at: number;
  /** The runner's write of it (results cache, progress). */
  readonly writeMs: number;
  readonly result: ShardResult;
}

/** What the wrapper records of one run. */
export interface CoordinatorTimes {
  runStart: number;
  runEnd: number;
  readonly delivered: Delivered[];
}

/** The same executor, timed: when `run` starts and ends, and each result's delivery and write. */
export function timedExecutor(factory: ShardExecutorFactory, times: CoordinatorTimes): ShardExecutorFactory {
  return async (context) => {
    const inner = await factory(context);
    return {
      wholeCellShards: inner.wholeCellShards,
      record: () => inner.record(),
      close: () => inner.close(),
      run: async (jobs, onDone) => {
        times.runStart = Date.now();
        await inner.run(jobs, (job, result) => {
          const at = Date.now();
          onDone(job, result);
          times.delivered.push({ label: job.content?.label ?? '?', firstId: job.task.instanceIds[0] ?? '', at, writeMs: Date.now() - at, result });
        });
        times.runEnd = Date.now();
      },
    };
  };
}

/** Seconds per phase of one run (absent: the phase does not exist for that executor). */
export type Phases = Record<PhaseName, number | undefined>;

/** The phases, in the order the table prints them. */
export const PHASE_NAMES = ['total', 'setup', 'workerStart', 'enqueue', 'firstPickup', 'processorStart', 'betweenJobs', 'modelLoad', 'scoring', 'return', 'write', 'finish', 'idle'] as const;
type PhaseName = (typeof PHASE_NAMES)[number];

/** What each phase is, for the table's legend. */
export const PHASE_LEGEND: Record<PhaseName, string> = {
  total: 'wall clock of the run, worker processes started inside it',
  setup: 'run start → executor starts (config, suites, variants, self-check; the same for both)',
  workerStart: 'spawn of a `compbench worker` → it listens on the queue, processors warm (mean over worker processes; overlaps setup; – for warm workers, started before the clock)',
  enqueue: 'executor start → last job added (state checks, addBulk)',
  firstPickup: 'job added → a worker takes it, for the first job of each processor, summed (waits for workers to start)',
  processorStart: 'first job taken → its sandboxed processor forked and loaded, summed over processors (0: it was warm)',
  betweenJobs: 'a processor ends a shard → it starts its next (result to the worker and Redis, next job fetched and sent), summed',
  modelLoad: 'ORT session and model load inside shards, summed',
  scoring: 'forward passes and scoring inside shards, summed',
  return: 'shard done in its processor → result handed to the runner, summed over jobs',
  write: 'runner writes results (cache lines, progress), summed',
  finish: 'last result → run done (instances.jsonl, run.json, closing connections)',
  idle: 'executor wall × workers − busy shard time (tail, start-up and waits)',
};

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Phases of a local run: what the runner saw. */
export function localPhases(t0: number, tEnd: number, times: CoordinatorTimes, workers: number): Phases {
  return common(t0, tEnd, times, workers);
}

function common(t0: number, tEnd: number, times: CoordinatorTimes, workers: number): Phases {
  const busy = sum(times.delivered.map((d) => d.result.durationMs));
  const open = sum(times.delivered.map((d) => d.result.openMs ?? 0));
  return {
    total: (tEnd - t0) / 1000,
    setup: (times.runStart - t0) / 1000,
    workerStart: undefined,
    enqueue: undefined,
    processorStart: undefined,
    firstPickup: undefined,
    betweenJobs: undefined,
    modelLoad: open / 1000,
    scoring: (busy - open) / 1000,
    return: undefined,
    write: sum(times.delivered.map((d) => d.writeMs)) / 1000,
    finish: (tEnd - times.runEnd) / 1000,
    idle: ((times.runEnd - times.runStart) * workers - busy) / 1000,
  };
}

/** Phases of a queued run: the runner's view plus the jobs' timestamps, read back from Redis (before it stops). */
export async function queuePhases(url: string, t0: number, tEnd: number, times: CoordinatorTimes, workers: number, workerReadyMs: readonly number[]): Promise<Phases> {
  const queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(url).options });
  let jobs: Job<{ label: string; instanceIds: string[] }, QueueJobResult>[];
  try {
    jobs = (await queue.getJobs(['completed'])) as typeof jobs;
  } finally {
    await queue.close();
  }
  const base = common(t0, tEnd, times, workers);
  const deliveredAt = new Map(times.delivered.map((d) => [`${d.label}\0${d.firstId}`, d.at]));
  let processorStart = 0;
  let firstPickup = 0;
  let between = 0;
  let ret = 0;
  // Per processor, in the order it ran them: a job waits from its add or its processor's previous job.
  const byProcessor = new Map<number, typeof jobs>();
  for (const job of jobs) {
    const timing = job.returnvalue?.timing;
    if (!timing) continue;
    byProcessor.set(timing.pid, [...(byProcessor.get(timing.pid) ?? []), job]);
    const at = deliveredAt.get(`${job.data.label}\0${job.data.instanceIds[0]}`);
    if (at !== undefined) ret += at - timing.endedAt;
  }
  for (const list of byProcessor.values()) {
    list.sort((a, b) => a.returnvalue.timing!.jobsBefore - b.returnvalue.timing!.jobsBefore);
    let free = 0;
    for (const job of list) {
      const timing = job.returnvalue.timing!;
      const taken = job.processedOn ?? timing.startedAt;
      if (timing.jobsBefore === 0) {
        processorStart += Math.max(0, timing.readyAt - taken);
        firstPickup += Math.max(0, taken - job.timestamp);
      } else between += timing.startedAt - Math.max(free, job.timestamp);
      free = timing.endedAt;
    }
  }
  return {
    ...base,
    workerStart: workerReadyMs.length > 0 ? sum(workerReadyMs) / workerReadyMs.length / 1000 : undefined,
    enqueue: jobs.length > 0 ? (Math.max(...jobs.map((j) => j.timestamp)) - times.runStart) / 1000 : undefined,
    processorStart: processorStart / 1000,
    firstPickup: firstPickup / 1000,
    betweenJobs: between / 1000,
    return: ret / 1000,
  };
}
