/**
 * The one interface the matrix runner evaluates shards through. Today's implementations:
 * executors/local (Piscina workers in a child host on this machine) and executors/queue
 * (BullMQ on Redis, workers on any machine). Whichever ran, the runner writes the same
 * results cache, instances.jsonl and run.json; the record names the executor as data.
 */
import type { ExecutorRecord } from '../../core/run-record.js';
import type { ShardResult, ShardTask, WorkerTask } from './shard.js';

/** A task to run and its key for the caller. */
export interface ShardJob<K, T extends WorkerTask = WorkerTask> {
  readonly key: K;
  readonly task: T;
  /** Content hashes of what a shard reads (its job id on a queue) and `variant × suite` for logs. */
  readonly content?: ShardContent;
}

/** What identifies a shard by content, whatever folder it is read from. */
export interface ShardContent {
  /** The variant's cache key (its bytes, and for llama.cpp the CPU library). */
  readonly variantHash: string;
  /** The suite's hash (suite.json, data, few-shot split). */
  readonly suiteHash: string;
  readonly label: string;
}

/** Evaluates shards of cells somewhere and hands each result back, once. */
export interface ShardExecutor {
  /**
   * True: shards must be cut from a cell's whole instance list, so a resumed run makes
   * the same shards again (a queue finds finished ones by id); a shard with any instance
   * missing from the results cache then runs whole.
   */
  readonly wholeCellShards: boolean;
  /**
   * Runs every job and calls `onDone` once per job (in completion order). Resolves when
   * all are done; `onDone` may throw (e.g. disk full) to stop the run.
   */
  run<K>(jobs: readonly ShardJob<K, ShardTask>[], onDone: (job: ShardJob<K, ShardTask>, result: ShardResult) => void): Promise<void>;
  /** What run.json records about the executor (call after {@link ShardExecutor.run}). */
  record(): ExecutorRecord;
  /** Releases what the executor holds (connections); idempotent. */
  close(): Promise<void>;
}

/** What a run gives its executor. */
export interface ExecutorContext {
  /** Shards in flight on this machine (the config's `execution.workers`). */
  readonly workers: number;
  /** The content-addressed cache (variants, results): the store every worker must reach. */
  readonly cacheDir: string;
  readonly log: (line: string) => void;
}

/** Makes the executor of a run (the CLI picks one; the default is the local one). */
export type ShardExecutorFactory = (context: ExecutorContext) => ShardExecutor | Promise<ShardExecutor>;
