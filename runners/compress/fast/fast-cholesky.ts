/**
 * The upper Cholesky factor of H⁻¹ (kernels/cholesky.ts `upperCholeskyOfInverse`) with the
 * O(n³) work as float64 products on the GEMM engine: a left-looking blocked Cholesky (one
 * product per column panel, inner dimension = the columns already done) and a blocked
 * triangular inverse (forward substitution by column blocks). Diagonal blocks are factored
 * and inverted by the reference kernels. Same arithmetic as the reference up to summation
 * order (float64 throughout).
 */
import { choleskyLowerInPlace, invertLower, upperCholeskyOfInverse } from '../../../kernels/index.js';
import type { GemmEngine } from './gemm-engine.js';

/** Panel width: large enough that each product has a long inner dimension. */
const NB = 256;

/**
 * U with H⁻¹ = Uᵀ·U; undefined when H is not positive definite. Consumes H.
 * // H (n,n) symmetric positive definite -> U (n,n) upper
 */
export async function upperCholeskyOfInverseFast(engine: GemmEngine, H: Float64Array, n: number): Promise<Float64Array | undefined> {
  if (n <= 2 * NB) return upperCholeskyOfInverse(H, n);
  const R = H.reverse();
  if (!(await choleskyLowerBlocked(engine, R, n))) return undefined;
  const M = await invertLowerBlocked(engine, R, n);
  return M.reverse();
}

/**
 * V upper triangular with H = V·Vᵀ (the reversal trick of kernels/cholesky.ts: with P the
 * reversal permutation and P·H·P = L̃·L̃ᵀ, V = P·L̃·P); undefined when H is not positive
 * definite. V⁻¹ is the U of `upperCholeskyOfInverseFast`, without computing the inverse.
 * Consumes H.
 * // H (n,n) symmetric positive definite -> V (n,n) upper
 */
export async function upperCholeskyFactorFast(engine: GemmEngine, H: Float64Array, n: number): Promise<Float64Array | undefined> {
  const R = H.reverse();
  const ok = n <= 2 * NB ? choleskyLowerInPlace(R, n) : await choleskyLowerBlocked(engine, R, n);
  return ok ? R.reverse() : undefined;
}

/**
 * In-place lower Cholesky (strict upper triangle zeroed); false when not positive definite.
 * // A (n,n) row-major symmetric -> L (n,n) lower
 */
export async function choleskyLowerBlocked(engine: GemmEngine, A: Float64Array, n: number): Promise<boolean> {
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(n, j0 + NB);
    const w = j1 - j0;
    const m = n - j0;
    const P = copyBlock(A, n, j0, n, j0, j1); // (m, w)
    if (j0 > 0) {
      // P -= L[j0:n, 0:j0] @ L[j0:j1, 0:j0]ᵀ
      const left = copyBlock(A, n, j0, n, 0, j0);
      const rowsT = transposeBlock(A, n, j0, j1, 0, j0); // (j0, w)
      const update = await engine.matmul64(left, m, j0, rowsT, w);
      for (let i = 0; i < P.length; i++) P[i] -= update[i];
    }
    const D = P.slice(0, w * w);
    if (!choleskyLowerInPlace(D, w)) return false;
    P.set(D, 0);
    if (m > w) {
      // L21 = P21 · L11⁻ᵀ
      const invT = transposeSquare(invertLower(D, w), w);
      const L21 = await engine.matmul64(P.subarray(w * w), m - w, w, invT, w);
      P.set(L21, w * w);
    }
    for (let i = 0; i < m; i++) A.set(P.subarray(i * w, (i + 1) * w), (j0 + i) * n + j0);
  }
  for (let i = 0; i < n; i++) A.fill(0, i * n + i + 1, (i + 1) * n);
  return true;
}

/**
 * M = L⁻¹ by column blocks: M[Jj,Jj] = L_jj⁻¹, then for each row block i below,
 * M[Ii,Jj] = −L_ii⁻¹ · (L[Ii, j0:i0] @ M[j0:i0, Jj]).
 * // L (n,n) lower -> M (n,n) lower
 */
export async function invertLowerBlocked(engine: GemmEngine, L: Float64Array, n: number): Promise<Float64Array> {
  const M = new Float64Array(n * n);
  const diagInv: Float64Array[] = [];
  for (let i0 = 0; i0 < n; i0 += NB) {
    const w = Math.min(n, i0 + NB) - i0;
    diagInv.push(invertLower(copyBlock(L, n, i0, i0 + w, i0, i0 + w), w));
  }
  for (let j0 = 0; j0 < n; j0 += NB) {
    const w = Math.min(n, j0 + NB) - j0;
    const C = new Float64Array((n - j0) * w); // M[j0:n, j0:j1]
    C.set(diagInv[j0 / NB], 0);
    for (let i0 = j0 + NB; i0 < n; i0 += NB) {
      const h = Math.min(n, i0 + NB) - i0;
      const Lrow = copyBlock(L, n, i0, i0 + h, j0, i0);
      const S = await engine.matmul64(Lrow, h, i0 - j0, C.subarray(0, (i0 - j0) * w), w);
      const block = await engine.matmul64(diagInv[i0 / NB], h, h, S, w);
      for (let k = 0; k < block.length; k++) C[(i0 - j0) * w + k] = -block[k];
    }
    for (let i = 0; i < n - j0; i++) M.set(C.subarray(i * w, (i + 1) * w), (j0 + i) * n + j0);
  }
  return M;
}

/** A[r0:r1, c0:c1] as a contiguous row-major block. */
function copyBlock(A: Float64Array, n: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const w = c1 - c0;
  const out = new Float64Array((r1 - r0) * w);
  for (let r = r0; r < r1; r++) out.set(A.subarray(r * n + c0, r * n + c1), (r - r0) * w);
  return out;
}

/** A[r0:r1, c0:c1]ᵀ as a contiguous (c1−c0, r1−r0) block. */
function transposeBlock(A: Float64Array, n: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const h = r1 - r0;
  const out = new Float64Array((c1 - c0) * h);
  for (let r = r0; r < r1; r++) {
    const o = r * n;
    for (let c = c0; c < c1; c++) out[(c - c0) * h + (r - r0)] = A[o + c];
  }
  return out;
}

function transposeSquare(A: Float64Array, w: number): Float64Array {
  return transposeBlock(A, w, 0, w, 0, w);
}
