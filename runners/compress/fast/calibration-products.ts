/**
 * The calibration-data products every calibrated kernel needs, on the GEMM engine: the
 * GPTQ Hessian (2/T)·XᵀX in float64 (as the reference accumulates it) and the layer output
 * error ‖X(W − Ŵ)‖²/‖XW‖² (float32 products on MLAS, squares summed in float64).
 */
import type { GemmEngine } from './gemm-engine.js';

/** Rows of H per product: the upper triangle is computed in row panels, then mirrored. */
const PANEL = 512;

/**
 * H = (2/T)·XᵀX, float64 products of the float32 inputs (the reference's arithmetic); only
 * the upper triangle's panels are multiplied (half the work), the lower is their mirror.
 * // X (T,K) -> H (K,K)
 */
export async function layerHessianFast(engine: GemmEngine, X: Float32Array, T: number, K: number): Promise<Float64Array> {
  const Xt = new Float64Array(K * T);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) Xt[k * T + t] = X[t * K + k];
  }
  const H = new Float64Array(K * K);
  const f = 2 / T;
  for (let i0 = 0; i0 < K; i0 += PANEL) {
    const h = Math.min(K, i0 + PANEL) - i0;
    const w = K - i0;
    const right = new Float64Array(T * w); // X[:, i0:K]
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < w; c++) right[t * w + c] = X[t * K + i0 + c];
    }
    const panel = await engine.matmul64(Xt.subarray(i0 * T, (i0 + h) * T), h, T, right, w); // H[i0:i0+h, i0:K]
    for (let r = 0; r < h; r++) {
      const i = i0 + r;
      for (let c = r; c < w; c++) {
        const v = panel[r * w + c] * f;
        H[i * K + i0 + c] = v;
        H[(i0 + c) * K + i] = v;
      }
    }
  }
  return H;
}

/** Float32 values of one column block's operands and products in the output-error check (16 MiB each). */
const ERROR_BLOCK_VALUES = 1 << 22;

/**
 * ‖XW − XŴ‖²_F / ‖XW‖²_F (0/0 = 0), as kernels/error-stats.ts `outputErrorRatio`. Taken over
 * blocks of columns, so the check holds four 16 MiB blocks besides its inputs instead of W − Ŵ and two
 * T×N products (on a 2048 × 11264 gate|up unit: 276 MB).
 * // X (T,K); W, Ŵ (K,N)
 */
export async function outputErrorRatioFast(engine: GemmEngine, X: Float32Array, T: number, K: number, W: Float32Array, What: Float32Array, N: number): Promise<number> {
  const nb = Math.max(1, Math.min(N, Math.floor(ERROR_BLOCK_VALUES / Math.max(K, T))));
  let num = 0;
  let den = 0;
  for (let c0 = 0; c0 < N; c0 += nb) {
    const w = Math.min(nb, N - c0);
    const Wb = new Float32Array(K * w); // (K, w)
    const Db = new Float32Array(K * w); // (K, w)
    for (let k = 0; k < K; k++) {
      const o = k * N + c0;
      for (let j = 0; j < w; j++) {
        Wb[k * w + j] = W[o + j];
        Db[k * w + j] = W[o + j] - What[o + j];
      }
    }
    num += sumOfSquares(await engine.matmul(X, T, K, Db, w));
    den += sumOfSquares(await engine.matmul(X, T, K, Wb, w));
  }
  if (den === 0) return num === 0 ? 0 : Infinity;
  return num / den;
}

/** Σ v² in float64. */
export function sumOfSquares(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}
