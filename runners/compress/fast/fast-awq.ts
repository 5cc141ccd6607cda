/**
 * AWQ (kernels/awq.ts, the readable reference) with its products on the GEMM engine. The
 * reference recomputes Xs·Ws for every α; here it is computed once, and the error
 * differences Ws − diag(1/s)·Q(s·Ws) of several α are laid side by side so that one
 * product Xs @ [D_α1 | D_α2 | …] scores a batch of candidates. Same grid, same sample,
 * same rule for the chosen α (the first lowest error), same RTN codes.
 */
import {
  awqScales, dequantizeCode, finishAwq, groupCount, groupGrids, maxCode, minCode, prepareAwqSearch, quantizeToCode, weightErrorStats,
  type AwqOptions, type AwqResult, type AwqSearch,
} from '../../../kernels/index.js';
import { outputErrorRatioFast, sumOfSquares } from './calibration-products.js';
import type { GemmEngine } from './gemm-engine.js';
import { phaseClock, type PhaseTimes } from './phase-clock.js';

/** Float32 values of stacked candidate differences per product (64 MiB). */
const BATCH_VALUES = 1 << 24;

/**
 * Runs the AWQ scale search and quantizes s·W, on the engine.
 * // W (K,N), X (T,K) -> s (K,), codes of s·W (K,N)
 */
export async function quantizeAwqFast(engine: GemmEngine, W: Float32Array, K: number, N: number, X: Float32Array, options: AwqOptions, phases?: PhaseTimes): Promise<AwqResult> {
  const clock = phaseClock(phases);
  const search = prepareAwqSearch(W, K, N, X, options);
  clock('sample');
  const { Xs, Ts, Ws, Ns, gridPoints } = search;
  const den = sumOfSquares(await engine.matmul(Xs, Ts, K, Ws, Ns));
  clock('candidate products');
  const perBatch = Math.max(1, Math.min(gridPoints, Math.floor(BATCH_VALUES / (K * Ns))));
  const sW = new Float32Array(K * Ns); // s·Ws of the candidate at hand
  const searchErrors: number[] = [];
  for (let a0 = 0; a0 < gridPoints; a0 += perBatch) {
    const count = Math.min(perBatch, gridPoints - a0);
    const width = count * Ns;
    const D = new Float32Array(K * width); // (K, count·Ns): candidate c in columns c·Ns …
    for (let c = 0; c < count; c++) candidateDifference(search, K, (a0 + c) / gridPoints, D, width, c * Ns, sW);
    clock('candidate quantize');
    const Y = await engine.matmul(Xs, Ts, K, D, width); // (Ts, count·Ns)
    for (let c = 0; c < count; c++) {
      let num = 0;
      for (let t = 0; t < Ts; t++) {
        const o = t * width + c * Ns;
        for (let n = 0; n < Ns; n++) num += Y[o + n] * Y[o + n];
      }
      searchErrors.push(den === 0 ? (num === 0 ? 0 : Infinity) : num / den);
    }
    clock('candidate products');
  }
  const r = finishAwq(W, K, N, search, searchErrors);
  clock('final quantize');
  const outputError = await outputErrorRatioFast(engine, X, search.T, K, W, r.effectiveWeight, N);
  clock('output error');
  const weight = weightErrorStats(W, r.effectiveWeight);
  clock('weight stats');
  return { ...r, stats: { ...weight, outputError } };
}

/**
 * Ws − diag(1/s)·Q(s·Ws) for one α into columns [offset, offset + Ns) of D, in two passes
 * and no allocation; every intermediate is rounded to float32 where kernels/awq.ts
 * `candidateWeight` stores it, so the values are the reference's bit for bit.
 * // Ws (K,Ns) -> D (K,width)
 */
export function candidateDifference(search: AwqSearch, K: number, alpha: number, D: Float32Array, width: number, offset: number, sW: Float32Array): void {
  const { Ws, Ns, bits, kind, groupSize } = search;
  const s = awqScales(search.meanAbs, alpha);
  for (let k = 0; k < K; k++) {
    const o = k * Ns;
    const sk = s[k];
    for (let n = 0; n < Ns; n++) sW[o + n] = Ws[o + n] * sk;
  }
  const { scales, zeros } = groupGrids(sW, K, Ns, groupSize, bits, kind);
  const nGroups = groupCount(K, groupSize);
  const maxq = maxCode(bits);
  const minq = minCode(kind);
  for (let k = 0; k < K; k++) {
    const o = k * Ns;
    const d = k * width + offset;
    const sk = s[k];
    const g = Math.floor(k / groupSize);
    for (let n = 0; n < Ns; n++) {
      const scale = scales[n * nGroups + g];
      const zero = zeros[n * nGroups + g];
      const q = dequantizeCode(quantizeToCode(sW[o + n], scale, zero, maxq, minq), scale, zero);
      D[d + n] = Ws[o + n] - Math.fround(q / sk);
    }
  }
}
