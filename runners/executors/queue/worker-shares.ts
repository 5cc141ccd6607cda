/** Per-worker throughput and failures of a queued run, from the results the workers returned. */
import type { WorkerShare } from '../../../core/run-record.js';
import type { ShardResult } from '../../matrix/shard.js';

/** Adds up each worker's shards, instances and busy time. */
export class WorkerShares {
  private readonly byWorker = new Map<string, { shards: number; instances: number; busyMs: number; failedShards: number }>();

  /** Counts one shard result of worker `id`. */
  add(id: string, result: ShardResult): void {
    const s = this.byWorker.get(id) ?? { shards: 0, instances: 0, busyMs: 0, failedShards: 0 };
    s.shards += 1;
    s.instances += result.records.length;
    s.busyMs += result.durationMs;
    if (result.state === 'failed') s.failedShards += 1;
    this.byWorker.set(id, s);
  }

  /** Every worker, by id, with instances per second of its busy time. */
  list(): WorkerShare[] {
    return [...this.byWorker.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, s]) => ({ id, ...s, busyMs: Math.round(s.busyMs), instancesPerS: s.busyMs > 0 ? Math.round((s.instances / s.busyMs) * 1e5) / 100 : 0 }));
  }
}
