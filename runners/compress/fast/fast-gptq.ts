/**
 * GPTQ (kernels/gptq.ts, the readable reference) with its heavy parts on the GEMM engine.
 * Same blocks, act-order, groups (static or not), dampening and dead-input rule: the
 * preparation and the assembly are the reference's own functions.
 *
 * The rows are swept in tiles (one reference block, or one group when groups span several
 * blocks), each with its own block of U = chol(H⁻¹) (fast-gptq-tile.ts). What a tile
 * receives from the rows before it needs no inverse of the whole Hessian: with H = V·Vᵀ
 * (V upper, one Cholesky) and U = V⁻¹, the errors E = (Wcur − Q)/diag(U) of GPTQ satisfy
 * Uᵀ·E = W₀ − Q (row by row, the update rule summed up), so a tile B after the rows A
 * starts from W₀_B + U_BBᵀ·V_ABᵀ·(W₀_A − Q_A): one product with the original weights
 * minus the codes of every earlier row, and only the tile's block U_BB = V_BB⁻¹ inverted.
 * This is the reference's state of those rows (the same sums, regrouped), and it skips the
 * K³/3 of the triangular inverse. When a group straddles two blocks (a group size that
 * neither divides nor is a multiple of the block), its grid reads rows in a state that
 * needs U beyond the diagonal blocks, and the whole U is computed (one tile of K rows).
 */
import { InputError } from '../../../core/errors.js';
import {
  checkGptqInputs, finishGptq, invertLower, prepareGptq, startSweep,
  weightErrorStats, type GptqOptions, type GptqPrepared, type GptqResult,
} from '../../../kernels/index.js';
import { layerHessianFast, outputErrorRatioFast } from './calibration-products.js';
import { upperCholeskyFactorFast, upperCholeskyOfInverseFast } from './fast-cholesky.js';
import { sweepTile, type TileSweep } from './fast-gptq-tile.js';
import type { GemmEngine } from './gemm-engine.js';
import { phaseClock, type PhaseTimes } from './phase-clock.js';

export type { PhaseTimes } from './phase-clock.js';

/** Rows swept between two engine updates (a divisor of the reference's block). */
const SUB = 16;

/**
 * Quantizes W with GPTQ on calibration inputs X, on the engine.
 * // W (K,N), X (T,K) -> codes (K,N), scales/zeros (N, ceil(K/groupSize))
 */
export async function quantizeGptqFast(
  engine: GemmEngine, W: Float32Array, K: number, N: number, X: Float32Array, options: GptqOptions, phases?: PhaseTimes,
): Promise<GptqResult> {
  const clock = phaseClock(phases);
  const T = checkGptqInputs(W, K, N, X, options);
  const H = await layerHessianFast(engine, X, T, K);
  clock('hessian');
  const prep = prepareGptq(W, K, N, H, options);
  clock('prepare');
  const { Wp, blockSize, groupSize } = prep;
  const dynamicGroups = !prep.staticGrids && groupSize < K;
  // Sub-blocks of SUB rows when every dynamic group starts on one; else the reference's blocks.
  const sub = blockSize % SUB === 0 && (!dynamicGroups || groupSize % SUB === 0) ? SUB : blockSize;
  const c: TileSweep = {
    engine, input: { ...prep, K, N }, state: startSweep({ ...prep, U: new Float64Array(0), K, N }), sub, dynamicGroups, clock, gridInRow: -1,
  };
  const tile = tileRows(prep, K);
  const notPositive = () => new InputError(`gptq: the damped Hessian is not positive definite; raise damp above ${prep.damp}`);
  if (tile === undefined) {
    const U = await upperCholeskyOfInverseFast(engine, prep.H, K);
    clock('cholesky');
    if (!U) throw notPositive();
    await sweepTile(c, 0, K, U, new Float32Array(K * N));
    clock('sweep');
  } else {
    const V = await upperCholeskyFactorFast(engine, prep.H, K);
    clock('cholesky');
    if (!V) throw notPositive();
    const D = new Float32Array(K * N); // W₀ − Q of the rows swept so far
    const E = new Float32Array(tile * N);
    for (let t0 = 0; t0 < K; t0 += tile) {
      const t1 = Math.min(K, t0 + tile);
      const h = t1 - t0;
      const Ut = upperBlockInverse(V, K, t0, t1);
      const W0 = Wp.slice(t0 * N, t1 * N);
      if (t0 > 0) await receiveEarlierRows(engine, Wp, V, Ut, D, K, N, t0, t1);
      clock('tile starts');
      await sweepTile(c, t0, t1, Ut, E);
      const { dequantized } = c.state;
      for (let i = 0; i < h * N; i++) D[t0 * N + i] = W0[i] - dequantized[t0 * N + i];
      clock('sweep');
    }
  }
  const result = finishGptq(prep, K, N, c.state);
  clock('assembly');
  const outputError = await outputErrorRatioFast(engine, X, T, K, W, result.dequantized, N);
  clock('output error');
  const weight = weightErrorStats(W, result.dequantized);
  clock('weight stats');
  return { ...result, stats: { ...weight, outputError } };
}

/**
 * Rows per tile: the block, or the group when groups span whole blocks; undefined when a
 * dynamic group straddles a block edge (or one tile would be the whole matrix).
 */
function tileRows(prep: GptqPrepared, K: number): number | undefined {
  const { blockSize, groupSize, staticGrids } = prep;
  let tile: number | undefined;
  if (staticGrids || groupSize >= K || blockSize % groupSize === 0) tile = blockSize;
  else if (groupSize % blockSize === 0) tile = groupSize;
  return tile !== undefined && tile < K ? tile : undefined;
}

/**
 * U_BB = V_BB⁻¹ for B = [t0, t1), by the reversal trick (kernels/cholesky.ts).
 * // V (K,K) upper -> (h,h) upper
 */
function upperBlockInverse(V: Float64Array, K: number, t0: number, t1: number): Float64Array {
  const h = t1 - t0;
  const B = new Float64Array(h * h);
  for (let r = 0; r < h; r++) B.set(V.subarray((t0 + r) * K + t0, (t0 + r) * K + t1), r * h);
  return invertLower(B.reverse(), h).reverse();
}

/**
 * Wp[B] += U_BBᵀ·V_ABᵀ·D_A for A = [0, t0), B = [t0, t1): G = U_BBᵀ·V_ABᵀ in float64
 * (a small product), then G @ D_A in float32.
 * // V (K,K), Ut (h,h), D (K,N), Wp (K,N)
 */
async function receiveEarlierRows(
  engine: GemmEngine, Wp: Float32Array, V: Float64Array, Ut: Float64Array, D: Float32Array, K: number, N: number, t0: number, t1: number,
): Promise<void> {
  const h = t1 - t0;
  const VabT = new Float64Array(h * t0); // (h, t0)
  for (let j = 0; j < t0; j++) {
    const o = j * K + t0;
    for (let i = 0; i < h; i++) VabT[i * t0 + j] = V[o + i];
  }
  const UtT = new Float64Array(h * h);
  for (let a = 0; a < h; a++) {
    for (let b = a; b < h; b++) UtT[b * h + a] = Ut[a * h + b];
  }
  const G = Float32Array.from(await engine.matmul64(UtT, h, h, VabT, t0));
  const update = await engine.matmul(G, h, t0, D.subarray(0, t0 * N), N);
  const o = t0 * N;
  for (let i = 0; i < update.length; i++) Wp[o + i] += update[i];
}
