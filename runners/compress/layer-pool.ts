/**
 * Where compression units run: inline on the calling thread, or on N worker threads
 * (layer-worker.ts), each with its own GEMM engine on one intra-op thread. Weights are
 * moved to the worker and results moved back (transfer lists, no copies); a unit's result
 * is the same bytes wherever it ran, because every unit runs the same code on one thread.
 */
import { availableParallelism, freemem } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InfraError, InputError, messageOf } from '../../core/errors.js';
import type { UnitResult, UnitTask } from './compress-unit.js';
import { compressUnit } from './compress-unit.js';
import { calibratedKernels, type KernelImpl } from './fast/kernel-set.js';

/** Runs units; at most `workers` at once. */
export interface LayerPool {
  /** Units that run at the same time. */
  readonly workers: number;
  /** True when units run in other threads (then X is best passed as its spill file). */
  readonly remote: boolean;
  run(task: UnitTask): Promise<UnitResult>;
  /** Stops the workers and frees their engines. */
  close(): Promise<void>;
}

/** A worker's reply. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: UnitResult }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** Every ArrayBuffer under `value` (typed arrays in plain objects and arrays), each once. */
export function transferablesOf(value: unknown, out = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) transferablesOf(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) transferablesOf(v, out);
  }
  return [...out];
}

/** Units on the calling thread, one after another. */
export function inlinePool(impl: KernelImpl): LayerPool {
  const kernels = calibratedKernels(impl, 1);
  return { workers: 1, remote: false, run: (task) => compressUnit(task, kernels), close: () => kernels.release() };
}

/** Units on `n` worker threads. */
export function workerPool(n: number, impl: KernelImpl): LayerPool {
  const url = new URL('./layer-worker.js', import.meta.url);
  const pending = new Map<number, { resolve: (r: UnitResult) => void; reject: (e: Error) => void }>();
  const idle: Worker[] = [];
  const queue: { id: number; task: UnitTask }[] = [];
  const busy = new Map<Worker, number>();
  const exited = new Set<Worker>();
  let nextId = 0;
  const dispatch = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const { id, task } = queue.shift()!;
      busy.set(w, id);
      w.postMessage({ type: 'task', id, task }, transferablesOf(task));
    }
  };
  const workers = Array.from({ length: n }, () => {
    const w = new Worker(url, { workerData: { impl } });
    w.on('message', (m: WorkerReply) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      busy.delete(w);
      idle.push(w);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(m.name === 'InputError' ? new InputError(m.message) : new InfraError(`compression worker: ${m.message}`));
      dispatch();
    });
    w.on('error', (e) => {
      const id = busy.get(w);
      if (id !== undefined) pending.get(id)?.reject(new InfraError(`compression worker died: ${messageOf(e)}`));
    });
    w.once('exit', () => exited.add(w));
    idle.push(w);
    return w;
  });
  return {
    workers: n,
    remote: true,
    run: (task) => new Promise<UnitResult>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      queue.push({ id, task });
      dispatch();
    }),
    close: async () => {
      // A worker that died (its task already rejected) has nothing to close.
      await Promise.all(workers.filter((w) => !exited.has(w)).map((w) => new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.postMessage({ type: 'close' });
      })));
    },
  };
}

/** A pool of `workers` (1: inline). */
export function layerPool(workers: number, impl: KernelImpl): LayerPool {
  return workers <= 1 ? inlinePool(impl) : workerPool(workers, impl);
}

/**
 * Bytes one unit holds while it runs: W and its results (≈ 4 copies of K·N floats), X
 * (T,K), and GPTQ's float64 K×K Hessian work (≈ 4 matrices).
 */
export function unitWorkingBytes(K: number, N: number, T: number): number {
  return 16 * K * N + 4 * T * K + 32 * K * K;
}

/**
 * The default number of compression workers: the cores, but no more than there are units,
 * and no more than half the free memory divided by the largest unit's working set (at
 * least 1). More workers never change the output, only time and memory.
 */
export function defaultCompressWorkers(units: number, largestUnitBytes: number, cores = availableParallelism(), freeBytes = freemem()): number {
  const byMemory = Math.floor(freeBytes / 2 / Math.max(1, largestUnitBytes));
  return Math.max(1, Math.min(cores, units, byMemory));
}
