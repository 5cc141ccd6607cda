/**
 * Seeded random layers and calibration inputs for the kernel tests (not a test file).
 */
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';

/** W (K,N) with N(0, std²) entries. */
export function randomWeight(seed: number, K: number, N: number, std = 0.1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: K * N }, () => rng.normal() * std);
}

/**
 * X (T,K) with correlated features: each feature is one of `factors` shared latent
 * signals plus independent noise; `outliers` features are scaled by `outlierScale`.
 */
export function correlatedInputs(seed: number, T: number, K: number, opts: { factors?: number; outliers?: number; outlierScale?: number } = {}): Float32Array {
  const rng = createRng(seed);
  const factors = opts.factors ?? 8;
  const X = new Float32Array(T * K);
  const latent = new Float32Array(factors);
  for (let t = 0; t < T; t++) {
    for (let f = 0; f < factors; f++) latent[f] = rng.normal();
    for (let k = 0; k < K; k++) X[t * K + k] = latent[k % factors] + 0.3 * rng.normal();
  }
  const outliers = opts.outliers ?? 0;
  for (let j = 0; j < outliers; j++) {
    const k = (j * 7 + 3) % K;
    for (let t = 0; t < T; t++) X[t * K + k] *= opts.outlierScale ?? 20;
  }
  return X;
}

/** Plain triple-loop X @ W in float64. // X (T,K) @ W (K,N) -> (T,N) */
export function naiveMatmul(X: ArrayLike<number>, T: number, K: number, W: ArrayLike<number>, N: number): Float64Array {
  const Y = new Float64Array(T * N);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += X[t * K + k] * W[k * N + n];
      Y[t * N + n] = s;
    }
  }
  return Y;
}

/** ‖A − B‖²/‖A‖² in float64. */
export function naiveRelError(A: ArrayLike<number>, B: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < A.length; i++) {
    num += (A[i] - B[i]) ** 2;
    den += A[i] ** 2;
  }
  return num / den;
}

/** A uvu `assert.throws` predicate: an InputError whose message matches `re` (when given). */
export function inputError(re?: RegExp): (e: unknown) => boolean {
  return (e) => e instanceof InputError && (!re || re.test(e.message));
}
