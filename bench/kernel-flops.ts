/**
 * Nominal floating-point work of the calibrated kernels (multiply-add = 2 FLOPs), the same
 * count for the reference and the fast path so their GFLOP/s compare the same work.
 */

/**
 * GPTQ: Hessian XᵀX (2TK²), Cholesky and triangular inverse (K³/3 each), lazy error
 * updates (K²N), output error X·W and X·(W − Ŵ) (4TKN).
 */
export function gptqFlops(K: number, N: number, T: number): number {
  return 2 * T * K * K + (2 * K ** 3) / 3 + K * K * N + 4 * T * K * N;
}

/** AWQ: Xs·Ws once and Xs·D per candidate (2·TsKNs each), output error (4TKN). */
export function awqFlops(K: number, N: number, T: number, gridPoints: number, Ts: number, Ns: number): number {
  return 2 * Ts * K * Ns * (gridPoints + 1) + 4 * T * K * N;
}

/** Wanda: input norms (2TK) and output error (4TKN). */
export function wandaFlops(K: number, N: number, T: number): number {
  return 2 * T * K + 4 * T * K * N;
}
