/**
 * AWQ (kernels/awq.ts, the readable reference) with its products on the GEMM engine. The
 * reference recomputes Xs·Ws for every α; here it is computed once, and the error
 * differences Ws − diag(1/s)·Q(s·Ws) of several α are laid side by side so that one
 * product Xs @ [D_α1 | D_α2 | …] scores a batch of candidates. Same grid, same sample,
 * same rule for the chosen α (the first lowest error), same RTN codes.
 */
import {
  candidateWeight, finishAwq, prepareAwqSearch, weightErrorStats, type AwqOptions, type AwqResult,
} from '../../../kernels/index.js';
import { outputErrorRatioFast, sumOfSquares } from './calibration-products.js';
import type { GemmEngine } from './gemm-engine.js';

/** Float32 values of stacked candidate differences per product (64 MiB). */
const BATCH_VALUES = 1 << 24;

/**
 * Runs the AWQ scale search and quantizes s·W, on the engine.
 * // W (K,N), X (T,K) -> s (K,), codes of s·W (K,N)
 */
export async function quantizeAwqFast(engine: GemmEngine, W: Float32Array, K: number, N: number, X: Float32Array, options: AwqOptions): Promise<AwqResult> {
  const search = prepareAwqSearch(W, K, N, X, options);
  const { Xs, Ts, Ws, Ns, gridPoints } = search;
  const den = sumOfSquares(await engine.matmul(Xs, Ts, K, Ws, Ns));
  const perBatch = Math.max(1, Math.min(gridPoints, Math.floor(BATCH_VALUES / (K * Ns))));
  const searchErrors: number[] = [];
  for (let a0 = 0; a0 < gridPoints; a0 += perBatch) {
    const count = Math.min(perBatch, gridPoints - a0);
    const width = count * Ns;
    const D = new Float32Array(K * width); // (K, count·Ns): candidate c in columns c·Ns …
    for (let c = 0; c < count; c++) {
      const { effective } = candidateWeight(search, K, (a0 + c) / gridPoints);
      for (let k = 0; k < K; k++) {
        const src = k * Ns;
        const dst = k * width + c * Ns;
        for (let n = 0; n < Ns; n++) D[dst + n] = Ws[src + n] - effective[src + n];
      }
    }
    const Y = await engine.matmul(Xs, Ts, K, D, width); // (Ts, count·Ns)
    for (let c = 0; c < count; c++) {
      let num = 0;
      for (let t = 0; t < Ts; t++) {
        const o = t * width + c * Ns;
        for (let n = 0; n < Ns; n++) num += Y[o + n] * Y[o + n];
      }
      searchErrors.push(den === 0 ? (num === 0 ? 0 : Infinity) : num / den);
    }
  }
  const r = finishAwq(W, K, N, search, searchErrors);
  const outputError = await outputErrorRatioFast(engine, X, search.T, K, W, r.effectiveWeight, N);
  return { ...r, stats: { ...weightErrorStats(W, r.effectiveWeight), outputError } };
}
