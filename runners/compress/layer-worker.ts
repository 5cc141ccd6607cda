/**
 * Worker-thread entry of layer-pool.ts: runs compression units on its own kernels (one
 * GEMM engine, one intra-op thread) and moves each result back.
 *
 * Messages in: `{type:'task', id, task}`, `{type:'close'}`. Out: {@link WorkerReply}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '../../core/errors.js';
import { compressUnit, type UnitTask } from './compress-unit.js';
import { calibratedKernels, type KernelImpl } from './fast/kernel-set.js';
import { transferablesOf, type WorkerReply } from './layer-pool.js';

const port = parentPort!;
const kernels = calibratedKernels((workerData as { impl: KernelImpl }).impl, 1);

port.on('message', (m: { type: 'task'; id: number; task: UnitTask } | { type: 'close' }) => {
  if (m.type === 'close') {
    void kernels.release().finally(() => port.close());
    return;
  }
  compressUnit(m.task, kernels).then(
    (result) => port.postMessage({ id: m.id, ok: true, result } satisfies WorkerReply, transferablesOf(result)),
    (e: unknown) => port.postMessage({ id: m.id, ok: false, name: e instanceof Error ? e.constructor.name : 'Error', message: messageOf(e) } satisfies WorkerReply),
  );
});
