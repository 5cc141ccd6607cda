/**
 * Which implementation of the calibrated kernels a compression uses: the GEMM-engine fast
 * paths (the default) or the pure-JS reference kernels (kernels/, selectable for tests and
 * for checking a result). Both give the same codes and masks up to the bounds stated in
 * the fast paths' tests.
 */
import {
  pruneWanda, quantizeAwq, quantizeGptq,
  type AwqOptions, type AwqResult, type GptqOptions, type GptqResult, type PruneResult,
} from '../../../kernels/index.js';
import { quantizeAwqFast } from './fast-awq.js';
import { quantizeGptqFast } from './fast-gptq.js';
import { pruneWandaFast } from './fast-wanda.js';
import { GemmEngine } from './gemm-engine.js';

/** 'fast': heavy products on onnxruntime (MLAS/Eigen); 'reference': the scalar kernels. */
export type KernelImpl = 'fast' | 'reference';

/** The kernel implementations a compression can choose between. */
export const KERNEL_IMPLS: readonly KernelImpl[] = ['fast', 'reference'];

/** The calibrated kernels (the ones with heavy linear algebra), all async. */
export interface CalibratedKernels {
  readonly impl: KernelImpl;
  gptq(W: Float32Array, K: number, N: number, X: Float32Array, options: GptqOptions): Promise<GptqResult>;
  awq(W: Float32Array, K: number, N: number, X: Float32Array, options: AwqOptions): Promise<AwqResult>;
  wanda(W: Float32Array, K: number, N: number, X: Float32Array, sparsity: number): Promise<PruneResult>;
  /** Frees the engine's sessions (no-op for the reference). */
  release(): Promise<void>;
}

/** The kernels of `impl`; the fast ones run on one engine with `threads` intra-op threads. */
export function calibratedKernels(impl: KernelImpl = 'fast', threads = 1): CalibratedKernels {
  if (impl === 'reference') {
    return {
      impl,
      gptq: async (W, K, N, X, o) => quantizeGptq(W, K, N, X, o),
      awq: async (W, K, N, X, o) => quantizeAwq(W, K, N, X, o),
      wanda: async (W, K, N, X, s) => pruneWanda(W, K, N, X, s),
      release: async () => undefined,
    };
  }
  const engine = GemmEngine.create(threads);
  return {
    impl,
    gptq: (W, K, N, X, o) => quantizeGptqFast(engine, W, K, N, X, o),
    awq: (W, K, N, X, o) => quantizeAwqFast(engine, W, K, N, X, o),
    wanda: (W, K, N, X, s) => pruneWandaFast(engine, W, K, N, X, s),
    release: () => engine.release(),
  };
}
