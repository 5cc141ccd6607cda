/**
 * The layer Hessian of GPTQ's objective ‖XW − XŴ‖²: H = (2/T)·XᵀX.
 */

/**
 * H = (2/T)·XᵀX in float64 (the reference's running average over samples).
 * // X (T,K) row-major -> H (K,K) row-major, symmetric
 */
export function layerHessian(X: Float32Array, T: number, K: number): Float64Array {
  // Transpose once so each feature's T values are contiguous for the dot products.
  const Xt = new Float32Array(K * T);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) Xt[k * T + t] = X[t * K + k];
  }
  const H = new Float64Array(K * K);
  const f = 2 / T;
  let a = 0;
  // Four rows at a time share each load of row b.
  for (; a + 3 < K; a += 4) {
    const o0 = a * T;
    const o1 = o0 + T;
    const o2 = o1 + T;
    const o3 = o2 + T;
    for (let b = a; b < K; b++) {
      const ob = b * T;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < T; t++) {
        const xb = Xt[ob + t];
        s0 += Xt[o0 + t] * xb;
        s1 += Xt[o1 + t] * xb;
        s2 += Xt[o2 + t] * xb;
        s3 += Xt[o3 + t] * xb;
      }
      setSym(H, K, a, b, s0 * f);
      if (b >= a + 1) setSym(H, K, a + 1, b, s1 * f);
      if (b >= a + 2) setSym(H, K, a + 2, b, s2 * f);
      if (b >= a + 3) setSym(H, K, a + 3, b, s3 * f);
    }
  }
  for (; a < K; a++) {
    for (let b = a; b < K; b++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += Xt[a * T + t] * Xt[b * T + t];
      setSym(H, K, a, b, s * f);
    }
  }
  return H;
}

function setSym(H: Float64Array, K: number, i: number, j: number, v: number): void {
  H[i * K + j] = v;
  H[j * K + i] = v;
}
