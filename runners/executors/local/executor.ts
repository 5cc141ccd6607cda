/**
 * Runs shards on the worker pool hosted by a child process (host.ts) and survives its
 * crashes: when the child dies, the shards in flight are retried alone in a fresh
 * child; a shard that crashes a child again becomes a failed value with the reason.
 * At most `workers` shards are in flight, so the parent always knows which ones were.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../../../core/errors.js';
import type { HostReply, HostRequest } from './host.js';
import { failedResult, type WorkerResult, type WorkerTask } from '../../matrix/shard.js';
import type { ExecutorContext, ShardExecutor, ShardJob } from '../../matrix/executor.js';

export type { ShardJob } from '../../matrix/executor.js';

/** Options of {@link executeShards}. */
export interface ExecutorOptions {
  readonly workers: number;
  /** Crashes of the hosting child a shard may be involved in before it is failed (default 2). */
  readonly maxCrashes?: number;
  /** Where host failures are logged (they cost a retry of the shards in flight, never the run). */
  readonly log?: (line: string) => void;
  /** The child's entry file (default host.js beside this module; tests swap it). */
  readonly hostFile?: string;
}

interface Pending<K, T extends WorkerTask> {
  readonly job: ShardJob<K, T>;
  crashes: number;
}

/**
 * Runs every job and calls `onDone` once per job (in completion order). Resolves when
 * all are done and the child has exited; `onDone` may throw (e.g. disk full) to stop.
 */
export function executeShards<K, T extends WorkerTask>(
  jobs: readonly ShardJob<K, T>[],
  options: ExecutorOptions,
  onDone: (job: ShardJob<K, T>, result: WorkerResult<T>) => void,
): Promise<void> {
  const maxCrashes = options.maxCrashes ?? 2;
  const queue: Pending<K, T>[] = jobs.map((job) => ({ job, crashes: 0 }));
  const inFlight = new Map<number, Pending<K, T>>();
  let nextId = 0;
  let child: ChildProcess | undefined;
  let ready = false;
  let failure: unknown;
  /** Children in a row that died before saying ready (a broken install, not a bad task). */
  let deadOnArrival = 0;

  return new Promise<void>((resolveAll, rejectAll) => {
    if (queue.length === 0) return resolveAll();
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (!child) return failure === undefined ? resolveAll() : rejectAll(failure);
      const c = child;
      c.once('exit', () => (failure === undefined ? resolveAll() : rejectAll(failure)));
      if (c.connected) c.send({ type: 'close' } satisfies HostRequest);
      else c.kill();
    };
    const dispatch = (): void => {
      if (queue.length === 0 && inFlight.size === 0) return finish();
      if (!child) return start();
      if (!ready) return;
      while (queue.length > 0 && inFlight.size < options.workers) {
        const head = queue[0];
        // A shard that was in flight during a crash runs alone, so a second crash names it.
        const anySuspect = [...inFlight.values()].some((p) => p.crashes > 0);
        if (anySuspect || (head.crashes > 0 && inFlight.size > 0)) break;
        queue.shift();
        const id = nextId++;
        inFlight.set(id, head);
        child.send({ type: 'task', id, task: head.job.task } satisfies HostRequest);
      }
      if (queue.length === 0 && inFlight.size === 0) finish();
    };
    const complete = (p: Pending<K, T>, result: WorkerResult<T>): void => {
      try {
        onDone(p.job, result);
      } catch (e) {
        failure ??= e;
        queue.length = 0;
      }
    };
    const start = (): void => {
      const c = fork(options.hostFile ?? fileURLToPath(new URL('./host.js', import.meta.url)), [], {
        env: { ...process.env, COMPBENCH_WORKERS: String(options.workers) },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      c.stderr?.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-400)));
      child = c;
      ready = false;
      c.on('message', (m: HostReply) => {
        if (m.type === 'ready') {
          ready = true;
          deadOnArrival = 0;
          return dispatch();
        }
        const p = inFlight.get(m.id);
        if (!p) return;
        inFlight.delete(m.id);
        complete(p, m.result as WorkerResult<T>);
        dispatch();
      });
      c.on('error', (e) => {
        // A host that never started cannot be retried; one that started and then broke its
        // pipe (EPIPE after a crash) is followed by 'exit', which retries its shards.
        if (c.pid === undefined) {
          failure ??= new InfraError(`the worker host process could not start: ${e.message}`);
          queue.length = 0;
          if (child === c) child = undefined;
          finish();
        } else options.log?.(`worker host ${c.pid}: ${e.message} (its shards in flight are retried)`);
      });
      c.on('exit', (code, signal) => {
        if (child !== c) return;
        child = undefined;
        const crashed = [...inFlight.values()];
        inFlight.clear();
        if (crashed.length === 0 && queue.length === 0) return;
        const why = signal ? `signal ${signal}` : `exit code ${code}`;
        const tail = stderr.trim().split('\n').pop()?.slice(0, 200);
        options.log?.(`worker host ${c.pid ?? '?'} died (${why}); ${crashed.length} task(s) in flight are retried or failed alone`);
        if (!ready && ++deadOnArrival >= 3) {
          failure ??= new InfraError(`the worker host process exits before it starts (${why}${tail ? `: ${tail}` : ''}); check the installation (npm ci)`);
          queue.length = 0;
          return finish();
        }
        for (const p of crashed.reverse()) {
          p.crashes += 1;
          if (p.crashes >= maxCrashes) complete(p, failedResult(p.job.task, `worker crashed (${why}${tail ? `: ${tail}` : ''})`));
          else queue.unshift(p);
        }
        if (failure !== undefined) queue.length = 0;
        dispatch();
      });
    };
    start();
  });
}

/** The local executor behind the matrix's {@link ShardExecutor} interface. */
export function localExecutor(context: ExecutorContext): ShardExecutor {
  return {
    wholeCellShards: false,
    run: (jobs, onDone) => executeShards(jobs, { workers: context.workers, log: context.log }, onDone),
    record: () => ({ kind: 'local' }),
    close: async () => undefined,
  };
}
