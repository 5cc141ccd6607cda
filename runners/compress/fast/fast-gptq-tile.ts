/**
 * The GPTQ sweep of one tile of rows [t0, t1) on the GEMM engine, with the tile's own block
 * of U (the upper Cholesky factor of H⁻¹): rows are quantized in sub-blocks of `sub` rows,
 * and before a sub-block is swept it receives the scaled errors of the tile's earlier rows
 * in one product (left-looking), instead of each row pushing its error into every later
 * row. The rows of the tile must already hold the errors of every row before t0.
 *
 * Which errors a row has seen when a group grid reads it is the reference's
 * (kernels/gptq-sweep.ts): every earlier row's error inside the reference's block of
 * `blockSize` rows, and only the earlier blocks' errors past it.
 */
import {
  dequantizeCode, groupCount, maxCode, minCode, setGroupGrids,
  type SweepInput, type SweepState,
} from '../../../kernels/index.js';
import type { GemmEngine } from './gemm-engine.js';
import { quantizeCodeFast } from './round-code.js';

/** What every tile of one GPTQ run shares. */
export interface TileSweep {
  readonly engine: GemmEngine;
  /** The sweep's inputs (U is passed per tile). */
  readonly input: Omit<SweepInput, 'U'>;
  readonly state: SweepState;
  /** Rows per scalar sub-block: divides blockSize and, with dynamic groups, groupSize. */
  readonly sub: number;
  readonly dynamicGroups: boolean;
  /** Charges the time since its last call to a phase (fast-gptq.ts's clock). */
  readonly clock: (phase: string) => void;
  /** The group whose grid rowScale/rowZero hold now (−1: none). */
  gridInRow: number;
}

/**
 * Sweeps rows [t0, t1) (t0 a multiple of blockSize) with Ut = U[t0:t1, t0:t1].
 * // Ut (h,h) upper, E (≥h,N) scratch for the tile's scaled errors, h = t1 − t0
 */
export async function sweepTile(c: TileSweep, t0: number, t1: number, Ut: Float64Array, E: Float32Array): Promise<void> {
  const { sub, dynamicGroups } = c;
  const { K, blockSize, groupSize } = c.input;
  const h = t1 - t0;
  const applied = new Int32Array(Math.ceil(h / sub)).fill(t0); // sub-block b has the errors of rows [t0, applied[b])
  const upTo = async (r0: number, r1: number, e1: number): Promise<void> => {
    const last = Math.ceil((Math.min(t1, r1) - t0) / sub);
    for (let b = Math.floor((r0 - t0) / sub); b < last; b++) {
      if (applied[b] >= e1) continue;
      // Neighbours that lack the same rows of E join this product (one tall product, not many short ones).
      let d = b + 1;
      while (d < last && applied[d] === applied[b]) d++;
      await applyErrors(c, t0, Ut, h, E, t0 + b * sub, Math.min(t1, t0 + d * sub), applied[b], e1);
      applied.fill(e1, b, d);
      b = d - 1;
    }
  };
  for (let s1 = t0; s1 < t1; s1 += sub) {
    const s2 = Math.min(t1, s1 + sub);
    const b1 = Math.floor(s1 / blockSize) * blockSize; // the reference's block [b1, b2)
    const b2 = Math.min(K, b1 + blockSize);
    c.clock('sweep');
    if (s1 === b1) await upTo(b1, b2, b1); // the tile's earlier blocks, in one product
    await upTo(s1, s2, s1);
    if (dynamicGroups) {
      for (let r = Math.ceil(s1 / groupSize) * groupSize; r < s2; r += groupSize) {
        // r = s1 when sub divides groupSize; otherwise [s1, s2) is the reference's block and [s2, b2) empty.
        const end = Math.min(K, r + groupSize);
        await upTo(s2, Math.min(b2, end), s1);
        await upTo(b2, end, b1);
      }
    }
    c.clock('updates');
    sweepRows(c, t0, Ut, h, E, s1, s2);
  }
}

/**
 * Wp[r0:r1] -= U[e0:e1, r0:r1]ᵀ @ E[e0:e1] (float32 product; rows are global, Ut and E
 * are the tile's).
 */
async function applyErrors(
  c: TileSweep, t0: number, Ut: Float64Array, h: number, E: Float32Array, r0: number, r1: number, e0: number, e1: number,
): Promise<void> {
  const { Wp, N } = c.input;
  const rows = r1 - r0;
  const depth = e1 - e0;
  const A = new Float32Array(rows * depth); // (rows, depth)
  for (let j = 0; j < depth; j++) {
    const o = (e0 - t0 + j) * h + r0 - t0;
    for (let i = 0; i < rows; i++) A[i * depth + j] = Ut[o + i];
  }
  const update = await c.engine.matmul(A, rows, depth, E.subarray((e0 - t0) * N, (e1 - t0) * N), N);
  const o = r0 * N;
  for (let i = 0; i < update.length; i++) Wp[o + i] -= update[i];
}

/**
 * kernels/gptq-sweep.ts `sweepBlock` on rows [i1, i2) with the tile's U: quantizes each
 * row, stores its scaled error (w − q)/U_rr in E and pushes it into the rest of [i1, i2).
 */
function sweepRows(c: TileSweep, t0: number, Ut: Float64Array, h: number, E: Float32Array, i1: number, i2: number): void {
  const { Wp, K, N, bits, kind, groupSize, staticGrids, perm } = c.input;
  const { codes, dequantized, scales, zeros, rowScale, rowZero } = c.state;
  const maxq = maxCode(bits);
  const minq = minCode(kind);
  const nGroups = groupCount(K, groupSize);
  for (let r = i1; r < i2; r++) {
    // The grid of row r.
    if (staticGrids) {
      const g = Math.floor((perm ? perm[r] : r) / groupSize);
      for (let n = 0; n < N; n++) {
        rowScale[n] = staticGrids.scales[n * nGroups + g];
        rowZero[n] = staticGrids.zeros[n * nGroups + g];
      }
    } else {
      const g = Math.floor(r / groupSize);
      if (groupSize < K && r % groupSize === 0) {
        setGroupGrids(Wp, N, r, Math.min(K, r + groupSize), bits, kind, scales, zeros, nGroups, g);
        c.gridInRow = -1;
      }
      // The (N, groups) table is read column-wise: copy the group's grid once, not per row.
      if (c.gridInRow !== g) {
        for (let n = 0; n < N; n++) {
          rowScale[n] = scales[n * nGroups + g];
          rowZero[n] = zeros[n * nGroups + g];
        }
        c.gridInRow = g;
      }
    }
    const ro = r * N;
    const lr = r - t0;
    const eo = lr * N;
    const d = Ut[lr * h + lr];
    for (let n = 0; n < N; n++) {
      const w = Wp[ro + n];
      const code = quantizeCodeFast(w, rowScale[n], rowZero[n], maxq, minq);
      const q = dequantizeCode(code, rowScale[n], rowZero[n]);
      codes[ro + n] = code;
      dequantized[ro + n] = q;
      E[eo + n] = (w - q) / d;
    }
    for (let r2 = r + 1; r2 < i2; r2++) {
      const u = Ut[lr * h + r2 - t0];
      if (u === 0) continue;
      const o = r2 * N;
      for (let n = 0; n < N; n++) Wp[o + n] -= u * E[eo + n];
    }
  }
}
