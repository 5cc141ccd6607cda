/**
 * GPTQ (kernels/gptq.ts, the readable reference) with its heavy parts on the GEMM engine:
 * the Hessian and the Cholesky in float64, the lazy batch updates and the output error in
 * float32. Same blocks, act-order, groups (static or not), dampening and dead-input rule:
 * the preparation, the per-block sweep and the assembly are the reference's own functions.
 *
 * The lazy updates are applied left-looking, in sub-blocks of 32 rows: just before rows
 * [s1, s2) are swept, they receive U[0:s1, s1:s2]ᵀ @ E[0:s1] (the scaled errors of every
 * earlier row) in one product, instead of each block pushing its errors into all later rows.
 * Every row gets the same sum of the same terms as in the reference (order of summation
 * aside), but each product has a long inner dimension and a small output, which MLAS runs
 * near its peak, and the scalar in-block work shrinks fourfold. Rows a group grid reads
 * ahead are brought up to exactly the state the reference's blocks of `blockSize` leave
 * them in, so grids see the values the reference sees.
 */
import { InputError } from '../../../core/errors.js';
import {
  checkGptqInputs, finishGptq, prepareGptq, startSweep, sweepBlock,
  weightErrorStats, type GptqOptions, type GptqResult,
} from '../../../kernels/index.js';
import { layerHessianFast, outputErrorRatioFast } from './calibration-products.js';
import { upperCholeskyOfInverseFast } from './fast-cholesky.js';
import type { GemmEngine } from './gemm-engine.js';

/** Rows swept between two engine updates (a divisor of the reference's block). */
const SUB = 32;

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
  const U = await upperCholeskyOfInverseFast(engine, prep.H, K);
  clock('cholesky+inverse');
  if (!U) throw new InputError(`gptq: the damped Hessian is not positive definite; raise damp above ${prep.damp}`);
  const input = { ...prep, U, K, N };
  const { Wp, blockSize, groupSize } = prep;
  const state = startSweep(input);
  const E = new Float32Array(K * N); // scaled errors of every row swept so far
  const dynamicGroups = !prep.staticGrids && groupSize < K;
  // Sub-blocks of SUB rows when every dynamic group starts on one; else the reference's blocks.
  const sub = blockSize % SUB === 0 && (!dynamicGroups || groupSize % SUB === 0) ? SUB : blockSize;
  const applied = new Int32Array(Math.ceil(K / sub)); // applied[b]: rows of E already in sub-block b
  const upTo = async (r0: number, r1: number, e1: number): Promise<void> => {
    for (let b = Math.floor(r0 / sub); b * sub < r1; b++) {
      if (applied[b] >= e1) continue;
      await applyErrors(engine, Wp, U, E, K, N, b * sub, Math.min(K, (b + 1) * sub), applied[b], e1);
      applied[b] = e1;
    }
  };
  for (let s1 = 0; s1 < K; s1 += sub) {
    const s2 = Math.min(K, s1 + sub);
    const b1 = Math.floor(s1 / blockSize) * blockSize; // the reference's block [b1, b2)
    const b2 = Math.min(K, b1 + blockSize);
    await upTo(s1, s2, s1);
    clock('sweep');
    if (dynamicGroups) {
      // A group grid read at row r sees every earlier row's error inside the reference's
      // block and only the earlier blocks' errors past it (their lazy update comes later).
      for (let r = Math.ceil(s1 / groupSize) * groupSize; r < s2; r += groupSize) {
        // r = s1 when sub = SUB; otherwise [s1, s2) is the reference's block and [s2, b2) empty.
        const end = Math.min(K, r + groupSize);
        await upTo(s2, Math.min(b2, end), s1);
        await upTo(b2, end, b1);
      }
    }
    clock('updates');
    sweepBlock(input, state, s1, s2, E, 0);
  }
  clock('sweep');
  const result = finishGptq(prep, K, N, state);
  const outputError = await outputErrorRatioFast(engine, X, T, K, W, result.dequantized, N);
  clock('assembly + error stats');
  return { ...result, stats: { ...weightErrorStats(W, result.dequantized), outputError } };
}

/** Milliseconds per phase, accumulated across calls (bench: where the time goes). */
export type PhaseTimes = Map<string, number>;

/** A function that charges the time since its last call to a phase (no-op without `phases`). */
function phaseClock(phases: PhaseTimes | undefined): (phase: string) => void {
  let last = performance.now();
  return (phase) => {
    if (!phases) return;
    const now = performance.now();
    phases.set(phase, (phases.get(phase) ?? 0) + now - last);
    last = now;
  };
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
