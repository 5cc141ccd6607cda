/**
 * The error statistics every kernel reports (DESIGN.md §4: max abs, relative Frobenius,
 * and for calibrated methods the layer output error on the calibration inputs).
 */
import type { WeightErrorStats } from './types.js';

/** max |W − Ŵ| and ‖W − Ŵ‖_F / ‖W‖_F for two tensors of the same shape. */
export function weightErrorStats(W: Float32Array, What: Float32Array): WeightErrorStats {
  let maxAbs = 0;
  let diff2 = 0;
  let ref2 = 0;
  for (let i = 0; i < W.length; i++) {
    const d = W[i] - What[i];
    const a = Math.abs(d);
    if (a > maxAbs) maxAbs = a;
    diff2 += d * d;
    ref2 += W[i] * W[i];
  }
  return { maxAbsError: maxAbs, relFrobeniusError: relative(Math.sqrt(diff2), Math.sqrt(ref2)) };
}

/**
 * Layer output error ‖XW − XŴ‖²_F / ‖XW‖²_F.
 * // X (T,K); W, Ŵ (K,N)
 * Computed as ‖X(W − Ŵ)‖² next to ‖XW‖² in one pass over X, accumulating in float64.
 */
export function outputErrorRatio(X: Float32Array, T: number, K: number, W: Float32Array, What: Float32Array, N: number): number {
  const D = new Float32Array(K * N);
  for (let i = 0; i < D.length; i++) D[i] = W[i] - What[i];
  const y = new Float64Array(N);
  const e = new Float64Array(N);
  let num = 0;
  let den = 0;
  for (let t = 0; t < T; t++) {
    y.fill(0);
    e.fill(0);
    const xo = t * K;
    let k = 0;
    // Four rows per pass: each accumulator is loaded and stored a quarter as often.
    for (; k + 3 < K; k += 4) {
      const a0 = X[xo + k];
      const a1 = X[xo + k + 1];
      const a2 = X[xo + k + 2];
      const a3 = X[xo + k + 3];
      const o0 = k * N;
      const o1 = o0 + N;
      const o2 = o1 + N;
      const o3 = o2 + N;
      for (let n = 0; n < N; n++) {
        y[n] += a0 * W[o0 + n] + a1 * W[o1 + n] + a2 * W[o2 + n] + a3 * W[o3 + n];
        e[n] += a0 * D[o0 + n] + a1 * D[o1 + n] + a2 * D[o2 + n] + a3 * D[o3 + n];
      }
    }
    for (; k < K; k++) {
      const a = X[xo + k];
      const o = k * N;
      for (let n = 0; n < N; n++) {
        y[n] += a * W[o + n];
        e[n] += a * D[o + n];
      }
    }
    for (let n = 0; n < N; n++) {
      num += e[n] * e[n];
      den += y[n] * y[n];
    }
  }
  return relative(num, den);
}

/** num/den with 0/0 = 0 (a zero reference reproduced exactly has no error). */
function relative(num: number, den: number): number {
  if (den === 0) return num === 0 ? 0 : Infinity;
  return num / den;
}
