/**
 * Plain dense products used by the kernels for calibration statistics.
 */

/**
 * Y = X @ W.
 * // X (T,K) @ W (K,N) -> Y (T,N), all row-major
 */
export function matmul(X: Float32Array, T: number, K: number, W: Float32Array, N: number): Float32Array {
  const Y = new Float32Array(T * N);
  const acc = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    acc.fill(0);
    const xo = t * K;
    let k = 0;
    for (; k + 3 < K; k += 4) {
      const a0 = X[xo + k];
      const a1 = X[xo + k + 1];
      const a2 = X[xo + k + 2];
      const a3 = X[xo + k + 3];
      const o0 = k * N;
      const o1 = o0 + N;
      const o2 = o1 + N;
      const o3 = o2 + N;
      for (let n = 0; n < N; n++) acc[n] += a0 * W[o0 + n] + a1 * W[o1 + n] + a2 * W[o2 + n] + a3 * W[o3 + n];
    }
    for (; k < K; k++) {
      const a = X[xo + k];
      const o = k * N;
      for (let n = 0; n < N; n++) acc[n] += a * W[o + n];
    }
    Y.set(acc, t * N);
  }
  return Y;
}

/**
 * ‖A − B‖²_F / ‖A‖²_F for two outputs of the same shape (0 when both are zero).
 */
export function relativeSquaredError(A: Float32Array, B: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < A.length; i++) {
    const d = A[i] - B[i];
    num += d * d;
    den += A[i] * A[i];
  }
  if (den === 0) return num === 0 ? 0 : Infinity;
  return num / den;
}

/**
 * Per-input-feature L2 norms of X: ‖X_k‖₂ over tokens.
 * // X (T,K) -> (K,)
 */
export function columnNorms(X: Float32Array, T: number, K: number): Float64Array {
  const out = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    const o = t * K;
    for (let k = 0; k < K; k++) out[k] += X[o + k] * X[o + k];
  }
  for (let k = 0; k < K; k++) out[k] = Math.sqrt(out[k]);
  return out;
}

/**
 * Per-input-feature max |X_k| (SmoothQuant) and mean |X_k| (AWQ) over tokens.
 * // X (T,K) -> (K,), (K,)
 */
export function columnAbsStats(X: Float32Array, T: number, K: number): { maxAbs: Float64Array; meanAbs: Float64Array } {
  const maxAbs = new Float64Array(K);
  const meanAbs = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    const o = t * K;
    for (let k = 0; k < K; k++) {
      const a = Math.abs(X[o + k]);
      meanAbs[k] += a;
      if (a > maxAbs[k]) maxAbs[k] = a;
    }
  }
  for (let k = 0; k < K; k++) meanAbs[k] /= T;
  return { maxAbs, meanAbs };
}
