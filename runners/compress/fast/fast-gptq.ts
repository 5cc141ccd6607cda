/**
 * GPTQ (kernels/gptq.ts, the readable reference) with its heavy parts on the GEMM engine:
 * the Hessian and the Cholesky in float64, the lazy batch updates and the output error in
 * float32. Same blocks, act-order, groups (static or not), dampening and dead-input rule:
 * the preparation, the per-block sweep and the assembly are the reference's own functions.
 *
 * The lazy updates are applied left-looking: just before block [i1, i2) is swept, its rows
 * receive U[0:i1, i1:i2]ᵀ @ E[0:i1] (the scaled errors of every earlier row) in one product,
 * instead of each block pushing its errors into all later rows. Every row gets the same sum
 * of the same terms as in the reference (order of summation aside), but each product has a
 * long inner dimension and a small output, which MLAS runs near its peak. Rows a group grid
 * reads ahead of the current block are brought up to date first, so grids see the values
 * the reference sees.
 */
import { InputError } from '../../../core/errors.js';
import {
  checkGptqInputs, finishGptq, prepareGptq, startSweep, sweepBlock,
  weightErrorStats, type GptqOptions, type GptqResult,
} from '../../../kernels/index.js';
import { layerHessianFast, outputErrorRatioFast } from './calibration-products.js';
import { upperCholeskyOfInverseFast } from './fast-cholesky.js';
import type { GemmEngine } from './gemm-engine.js';

/**
 * Quantizes W with GPTQ on calibration inputs X, on the engine.
 * // W (K,N), X (T,K) -> codes (K,N), scales/zeros (N, ceil(K/groupSize))
 */
export async function quantizeGptqFast(engine: GemmEngine, W: Float32Array, K: number, N: number, X: Float32Array, options: GptqOptions): Promise<GptqResult> {
  const T = checkGptqInputs(W, K, N, X, options);
  const prep = prepareGptq(W, K, N, await layerHessianFast(engine, X, T, K), options);
  const U = await upperCholeskyOfInverseFast(engine, prep.H, K);
  if (!U) throw new InputError(`gptq: the damped Hessian is not positive definite; raise damp above ${prep.damp}`);
  const input = { ...prep, U, K, N };
  const { Wp, blockSize, groupSize } = prep;
  const state = startSweep(input);
  const E = new Float32Array(K * N); // scaled errors of every row swept so far
  // applied[b]: rows of E already subtracted from block b (a prefix 0:applied[b])
  const applied = new Int32Array(Math.ceil(K / blockSize));
  const dynamicGroups = !prep.staticGrids && groupSize < K;
  for (let i1 = 0; i1 < K; i1 += blockSize) {
    const i2 = Math.min(K, i1 + blockSize);
    let ahead = i2;
    if (dynamicGroups) {
      const lastStart = Math.floor((i2 - 1) / groupSize) * groupSize;
      if (lastStart >= i1) ahead = Math.max(ahead, Math.min(K, lastStart + groupSize));
    }
    for (let b = i1 / blockSize; b * blockSize < ahead; b++) {
      await applyErrors(engine, Wp, U, E, K, N, b * blockSize, Math.min(K, (b + 1) * blockSize), applied[b], i1);
      applied[b] = i1;
    }
    sweepBlock(input, state, i1, i2, E, 0);
  }
  const result = finishGptq(prep, K, N, state);
  const outputError = await outputErrorRatioFast(engine, X, T, K, W, result.dequantized, N);
  return { ...result, stats: { ...weightErrorStats(W, result.dequantized), outputError } };
}

/**
 * Wp[r0:r1] -= U[e0:e1, r0:r1]ᵀ @ E[e0:e1] (float32 product).
 * // U (K,K), E (K,N), Wp (K,N)
 */
async function applyErrors(
  engine: GemmEngine, Wp: Float32Array, U: Float64Array, E: Float32Array, K: number, N: number,
  r0: number, r1: number, e0: number, e1: number,
): Promise<void> {
  if (e1 <= e0) return;
  const h = r1 - r0;
  const depth = e1 - e0;
  const Ut = new Float32Array(h * depth); // (h, depth)
  for (let j = 0; j < depth; j++) {
    const o = (e0 + j) * K;
    for (let c = 0; c < h; c++) Ut[c * depth + j] = U[o + r0 + c];
  }
  const update = await engine.matmul(Ut, h, depth, E.subarray(e0 * N, e1 * N), N);
  const o = r0 * N;
  for (let i = 0; i < update.length; i++) Wp[o + i] -= update[i];
}
