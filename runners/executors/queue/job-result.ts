/**
 * What a shard job returns through Redis and how a worker refuses a job: shared by the
 * worker, the coordinator and the processor, in a module of its own so the worker process
 * does not load the scoring code (onnxruntime, suites) that only its processors need.
 */
import type { ShardResult } from '../../matrix/shard.js';

/** What a job returns through Redis. */
export interface QueueJobResult {
  readonly result: ShardResult;
  /** `hostname:pid` of the worker process that ran it. */
  readonly workerId: string;
  /** When this processor started and ran the job (bench/queue-phases.ts splits a run's time with them). */
  readonly timing?: ProcessorTiming;
}

/** Epoch milliseconds of a processor's life and of one job in it. */
export interface ProcessorTiming {
  readonly pid: number;
  /** The processor process started (fork). */
  readonly forkedAt: number;
  /** Its modules (onnxruntime, suites) were loaded. */
  readonly readyAt: number;
  /** Jobs this processor ran before this one (0: its first; a warm processor has more). */
  readonly jobsBefore: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** Prefix of the reason a job is refused for its versions (the worker stops on it). */
export const VERSION_REFUSAL = 'compbench version mismatch:';

/** How a job that is not a compbench shard fails; the worker stops on it (one line, exit 2). */
export const FOREIGN_REFUSAL = 'not a compbench shard job (foreign payload):';
