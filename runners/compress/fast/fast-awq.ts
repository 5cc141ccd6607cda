/**
 * AWQ (kernels/awq.ts, the readable reference) with its products on the GEMM engine. The
 * reference recomputes Xs·Ws for every α; here it is computed once, and the error
 * differences Ws − diag(1/s)·Q(s·Ws) of several α are laid side by side so that one
 * product Xs @ [D_α1 | D_α2 | …] scores a batch of candidates. The group-wise rounding of
 * s·W (candidates and final) is fused (scaled-groups.ts). Same grid, same sample, same
 * rule for the chosen α (the first lowest error), same RTN codes, bit for bit.
 */
import { awqScales, prepareAwqSearch, weightErrorStats, type AwqOptions, type AwqResult } from '../../../kernels/index.js';
import { outputErrorRatioFast, sumOfSquares } from './calibration-products.js';
import type { GemmEngine } from './gemm-engine.js';
import { phaseClock, type PhaseTimes } from './phase-clock.js';
import { quantizeScaledGroups, scaledGroupDifference } from './scaled-groups.js';

/** Float32 values of stacked candidate differences per product (64 MiB). */
const BATCH_VALUES = 1 << 24;

/**
 * Runs the AWQ scale search and quantizes s·W, on the engine.
 * // W (K,N), X (T,K) -> s (K,), codes of s·W (K,N)
 */
export async function quantizeAwqFast(engine: GemmEngine, W: Float32Array, K: number, N: number, X: Float32Array, options: AwqOptions, phases?: PhaseTimes): Promise<AwqResult> {
  const clock = phaseClock(phases);
  const search = prepareAwqSearch(W, K, N, X, options);
  const { Xs, Ts, Ws, Ns, gridPoints, bits, kind, groupSize, meanAbs } = search;
  clock('sample');
  const den = sumOfSquares(await engine.matmul(Xs, Ts, K, Ws, Ns));
  clock('candidate products');
  const perBatch = Math.max(1, Math.min(gridPoints, Math.floor(BATCH_VALUES / (K * Ns))));
  const searchErrors: number[] = [];
  for (let a0 = 0; a0 < gridPoints; a0 += perBatch) {
    const count = Math.min(perBatch, gridPoints - a0);
    const width = count * Ns;
    const D = new Float32Array(K * width); // (K, count·Ns): candidate c in columns c·Ns …
    for (let c = 0; c < count; c++) {
      scaledGroupDifference(Ws, K, Ns, awqScales(meanAbs, (a0 + c) / gridPoints), bits, kind, groupSize, D, width, c * Ns);
    }
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
  // kernels/awq.ts `finishAwq`: the first α with the lowest error (strict <), else α = 0 with s = 1.
  let best: { alpha: number; error: number; s: Float32Array } = { alpha: 0, error: Infinity, s: new Float32Array(K).fill(1) };
  searchErrors.forEach((error, i) => {
    if (error < best.error) best = { alpha: i / gridPoints, error, s: awqScales(meanAbs, i / gridPoints) };
  });
  const q = quantizeScaledGroups(W, K, N, best.s, bits, kind, groupSize);
  clock('final quantize');
  const outputError = await outputErrorRatioFast(engine, X, search.T, K, W, q.effective, N);
  clock('output error');
  const weight = weightErrorStats(W, q.effective);
  clock('weight stats');
  return {
    K, N, bits, symmetric: kind !== 'asymmetric', grid: kind, granularity: groupSize === K ? 'channel' : groupSize, groupSize,
    codes: q.codes, scales: q.scales, zeros: q.zeros, dequantized: q.dequantized,
    channelScales: best.s, alpha: best.alpha, searchErrors, effectiveWeight: q.effective,
    stats: { ...weight, outputError },
  };
}
