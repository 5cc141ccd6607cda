/**
 * Child-process entry that hosts the Piscina pool. A native crash in a worker thread
 * (an onnxruntime abort, `process.abort()`) takes down the whole process that owns the
 * thread, so the pool lives here, away from the process that writes the run: the parent
 * sees this child die, marks the shards in flight, and starts a new one.
 *
 * Messages in: `{type:'task', id, task}`, `{type:'close'}`. Out: `{type:'ready'}`,
 * `{type:'done', id, result}`.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { messageOf } from '../../../core/errors.js';
import { failedResult, type AnyWorkerResult, type WorkerTask } from '../../matrix/shard.js';

/** A message from the parent. */
export type HostRequest = { readonly type: 'task'; readonly id: number; readonly task: WorkerTask } | { readonly type: 'close' };
/** A message to the parent. */
export type HostReply = { readonly type: 'ready' } | { readonly type: 'done'; readonly id: number; readonly result: AnyWorkerResult };

const workers = Number(process.env.COMPBENCH_WORKERS ?? '1');
// No task timeouts, AbortSignals or destroy() with tasks in flight: terminating a worker
// inside session.run() aborts the process. close() below waits for running tasks.
const pool = new Piscina<WorkerTask, AnyWorkerResult>({
  filename: fileURLToPath(new URL('./worker.js', import.meta.url)),
  minThreads: workers,
  maxThreads: workers,
  idleTimeout: 60 * 60 * 1000,
  concurrentTasksPerWorker: 1,
});

const send = (m: HostReply): void => void process.send?.(m);

let closing = false;

process.on('message', (m: HostRequest) => {
  if (m.type === 'close') {
    closing = true;
    void pool.close().finally(() => process.disconnect());
    return;
  }
  pool.run(m.task).then(
    (result) => send({ type: 'done', id: m.id, result }),
    (e: unknown) => send({ type: 'done', id: m.id, result: failedResult(m.task, `worker failed: ${messageOf(e)}`) }),
  );
});
// The IPC channel closes without a 'close' request only when the parent died (kill -9, a
// crash): nobody will read these results, so stop now, workers mid-task included, rather
// than compute on for minutes as an orphan.
process.on('disconnect', () => {
  if (closing) void pool.close().finally(() => process.exit(0));
  else process.kill(process.pid, 'SIGKILL');
});
send({ type: 'ready' });
