/**
 * A worker's processors forked first thing, before the worker loads the rest of BullMQ
 * (Worker, Queue, ioredis, Lua scripts) and connects: each processor's start (a Node
 * process that loads onnxruntime and the scoring code) then runs beside the worker's own
 * start instead of after it, which matters most when workers start with a run on a busy
 * machine. BullMQ's ChildPool (5.x) needs nothing else of BullMQ, so it is loaded alone;
 * once the Worker exists, the pool becomes the Worker's, and its sandbox takes the
 * processors from it as from the pool it made itself (a crashed processor still leaves
 * the pool and costs one attempt of its job).
 */
import { createRequire } from 'node:module';
import type { ForkOptions } from 'node:child_process';
import type { Worker } from 'bullmq';

/** The part of BullMQ's ChildPool (5.x, `bullmq/dist/cjs/classes/child-pool.js`) used here. */
interface ProcessorPool {
  retain(processFile: string): Promise<unknown>;
  release(child: unknown): void;
  clean(): Promise<void>;
}

/** Processors started by {@link startEarlyProcessors}. */
export interface EarlyProcessors {
  /** The pool that holds them, idle once started. */
  readonly pool: ProcessorPool;
  /** Resolves to how many started (a processor that failed to load is not counted). */
  readonly ready: Promise<number>;
}

/**
 * Forks `count` processors of `processFile` in a ChildPool of BullMQ's own (the main file
 * BullMQ's Worker uses for sandboxed processes) and returns them to the pool idle once
 * loaded. `undefined` when this BullMQ has no such pool: the worker then warms its own.
 */
export function startEarlyProcessors(processFile: string, count: number, workerForkOptions: ForkOptions): EarlyProcessors | undefined {
  const require = createRequire(import.meta.url);
  let pool: ProcessorPool;
  try {
    const { ChildPool } = require('bullmq/dist/cjs/classes/child-pool.js') as { ChildPool: new (options: object) => ProcessorPool };
    pool = new ChildPool({ mainFile: require.resolve('bullmq/dist/cjs/classes/main.js'), useWorkerThreads: false, workerForkOptions });
  } catch {
    return undefined;
  }
  if (typeof pool.retain !== 'function' || typeof pool.release !== 'function' || typeof pool.clean !== 'function') return undefined;
  const ready = Promise.allSettled(Array.from({ length: count }, () => pool.retain(processFile))).then((started) => {
    let warm = 0;
    for (const s of started) {
      if (s.status !== 'fulfilled') continue;
      pool.release(s.value);
      warm += 1;
    }
    return warm;
  });
  return { pool, ready };
}

/**
 * Makes `early.pool` the pool of `worker` (created with `processFile` and `autorun: false`,
 * so it has taken no job yet): its sandbox is rebuilt on that pool, and closing the worker
 * stops those processors. False, and nothing changed, when this Worker has no sandbox to
 * rebuild; the caller then discards the early processors.
 */
export function adoptEarlyProcessors(worker: Worker, early: EarlyProcessors, processFile: string): boolean {
  const sandboxed = worker as unknown as { childPool?: unknown; createSandbox?: (processor: string) => void };
  if (sandboxed.childPool === undefined || typeof sandboxed.createSandbox !== 'function') return false;
  sandboxed.childPool = early.pool;
  sandboxed.createSandbox(processFile);
  return true;
}

/** Stops processors that no worker adopted, once they have loaded (a processor stopped while loading prints BullMQ's error). */
export async function discardEarlyProcessors(early: EarlyProcessors): Promise<void> {
  await early.ready;
  await early.pool.clean();
}
