/**
 * Forks a worker's sandboxed processors before it takes its first job, so the process
 * start and the module load (onnxruntime, suites) of each overlap the wait for work
 * instead of delaying the first shard. BullMQ keeps processors in a pool and reuses
 * them for later jobs anyway; it only forks them lazily. A processor that crashes still
 * leaves the pool and costs its job one attempt, exactly as before.
 */
import type { Worker } from 'bullmq';

/** The part of BullMQ's ChildPool (5.x, a worker's `childPool`) that warming uses. */
interface ProcessorPool {
  retain(processFile: string): Promise<unknown>;
  release(child: unknown): void;
}

/**
 * Starts `count` processors of `processFile` in the pool of `worker` (created with
 * `autorun: false`, so none of its jobs races the warming) and returns them to the pool
 * idle. Resolves to how many are warm; 0 when this BullMQ has no pool to warm (the
 * worker then forks them at its first jobs, as BullMQ does by default).
 */
export async function warmProcessors(worker: Worker, processFile: string, count: number): Promise<number> {
  const pool = (worker as unknown as { childPool?: Partial<ProcessorPool> }).childPool;
  if (typeof pool?.retain !== 'function' || typeof pool.release !== 'function') return 0;
  const { retain, release } = pool as ProcessorPool;
  const started = await Promise.allSettled(Array.from({ length: count }, () => retain.call(pool, processFile)));
  let warm = 0;
  for (const s of started) {
    if (s.status !== 'fulfilled') continue;
    release.call(pool, s.value);
    warm += 1;
  }
  return warm;
}
