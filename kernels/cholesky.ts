/**
 * Dense Cholesky factorization and triangular inversion in float64, row-major, blocked
 * so that each finished row is streamed once per block of rows (the n×n matrix of a
 * 4096-wide layer is 128 MiB and does not fit in cache).
 */

const BLOCK = 32;

/**
 * In-place lower Cholesky: on return the lower triangle of A holds L with A = L·Lᵀ
 * (the strict upper triangle is zeroed). Returns false when A is not positive definite.
 * // A (n,n) row-major, symmetric
 */
export function choleskyLowerInPlace(A: Float64Array, n: number): boolean {
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    // Entries left of the block, column by column, so L[i, 0:j] is final when used.
    for (let j = 0; j < i0; j++) {
      const rj = j * n;
      const djj = A[rj + j];
      for (let i = i0; i < i1; i++) {
        const ri = i * n;
        A[ri + j] = (A[ri + j] - dot(A, ri, A, rj, j)) / djj;
      }
    }
    for (let i = i0; i < i1; i++) {
      const ri = i * n;
      for (let j = i0; j <= i; j++) {
        const rj = j * n;
        const s = A[ri + j] - dot(A, ri, A, rj, j);
        if (i === j) {
          if (!(s > 0)) return false;
          A[ri + i] = Math.sqrt(s);
        } else {
          A[ri + j] = s / A[rj + j];
        }
      }
    }
  }
  for (let i = 0; i < n; i++) A.fill(0, i * n + i + 1, (i + 1) * n);
  return true;
}

/**
 * M = L⁻¹ for a lower-triangular L (also lower-triangular).
 * // L (n,n) -> M (n,n), row i of M = (e_i − Σ_{k<i} L[i,k]·M[k,:]) / L[i,i]
 */
export function invertLower(L: Float64Array, n: number): Float64Array {
  const M = new Float64Array(n * n);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let i = i0; i < i1; i++) M[i * n + i] = 1;
    // Row k of M is read once per block; rows of the block are finalized (divided by
    // their pivot) just before they are used, when all their contributions are in.
    for (let k = 0; k < i1; k++) {
      const rk = k * n;
      if (k >= i0) {
        const inv = 1 / L[rk + k];
        for (let j = 0; j <= k; j++) M[rk + j] *= inv;
      }
      for (let i = Math.max(i0, k + 1); i < i1; i++) {
        const ri = i * n;
        const c = L[ri + k];
        if (c === 0) continue;
        for (let j = 0; j <= k; j++) M[ri + j] -= c * M[rk + j];
      }
    }
  }
  return M;
}

/**
 * The upper Cholesky factor U of H⁻¹ (H⁻¹ = Uᵀ·U), what GPTQ's reference gets from
 * `cholesky(cholesky_inverse(cholesky(H)), upper=True)`, computed with one Cholesky and
 * one triangular inverse: with P the reversal permutation and P·H·P = L̃·L̃ᵀ,
 * H = V·Vᵀ for the upper-triangular V = P·L̃·P, so H⁻¹ = V⁻ᵀ·V⁻¹ and U = V⁻¹ = P·L̃⁻¹·P.
 * Returns undefined when H is not positive definite. Consumes H: its storage is reused.
 * // H (n,n) symmetric positive definite -> U (n,n) upper
 */
export function upperCholeskyOfInverse(H: Float64Array, n: number): Float64Array | undefined {
  // Reversing the flat array maps index i·n+j to (n−1−i)·n+(n−1−j): R = P·H·P in place.
  const R = H.reverse();
  if (!choleskyLowerInPlace(R, n)) return undefined;
  const M = invertLower(R, n);
  // Same trick back: U[a,b] = M[n−1−a, n−1−b].
  return M.reverse();
}

function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < len; k++) s0 += a[ao + k] * b[bo + k];
  return s0 + s1 + s2 + s3;
}
