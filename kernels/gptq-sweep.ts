/**
 * GPTQ's inner loop: quantize rows in order, push each row's scaled error into the rest
 * of its block at once, and into the rows after the block lazily, one block at a time
 * (the reference's `W[:, i2:] -= Err1.matmul(Hinv[i1:i2, i2:])`).
 */
import { setGroupGrids } from './group-grids.js';
import { dequantizeCode, maxCode, minCode, quantizeToCode, type GridKind } from './quant-grid.js';
import { groupCount } from './shapes.js';

/** Inputs of the sweep; Wp is updated in place. */
export interface SweepInput {
  /** Working weights (K,N), rows in quantization order. */
  readonly Wp: Float32Array;
  /** Upper Cholesky factor of H⁻¹ (K,K), same order. */
  readonly U: Float64Array;
  readonly K: number;
  readonly N: number;
  readonly bits: number;
  readonly kind: GridKind;
  readonly groupSize: number;
  readonly blockSize: number;
  /** Precomputed grids on the original order (static groups). */
  readonly staticGrids?: { scales: Float32Array; zeros: Uint8Array };
  /** Quantization order → original row (act-order). */
  readonly perm?: Int32Array;
}

/** Codes and Ŵ rows in quantization order, and the grids found on the way. */
export interface SweepOutput {
  readonly codes: Uint8Array;
  readonly dequantized: Float32Array;
  /** (N, ceil(K/groupSize)), group = floor(position in quantization order / groupSize). */
  readonly scales: Float32Array;
  readonly zeros: Uint8Array;
}

/** Buffers a sweep fills as it goes (the output plus per-row grid scratch). */
export interface SweepState extends SweepOutput {
  readonly rowScale: Float32Array;
  readonly rowZero: Uint8Array;
}

/** Allocates the outputs; with one group per column the grids come from the whole of Wp now. */
export function startSweep(input: SweepInput): SweepState {
  const { Wp, K, N, bits, kind, groupSize, staticGrids } = input;
  const nGroups = groupCount(K, groupSize);
  const state: SweepState = {
    codes: new Uint8Array(K * N), dequantized: new Float32Array(K * N),
    scales: new Float32Array(N * nGroups), zeros: new Uint8Array(N * nGroups),
    rowScale: new Float32Array(N), rowZero: new Uint8Array(N),
  };
  if (!staticGrids && groupSize >= K) setGroupGrids(Wp, N, 0, K, bits, kind, state.scales, state.zeros, 1, 0);
  return state;
}

/**
 * Runs the blocked GPTQ sweep.
 * // Wp (K,N), U (K,K) -> codes (K,N), Ŵ (K,N)
 */
export function gptqSweep(input: SweepInput): SweepOutput {
  const { Wp, U, K, N, blockSize } = input;
  const state = startSweep(input);
  const E = new Float32Array(blockSize * N); // scaled errors of the current block
  for (let i1 = 0; i1 < K; i1 += blockSize) {
    const i2 = Math.min(K, i1 + blockSize);
    sweepBlock(input, state, i1, i2, E, i1);
    lazyUpdate(Wp, U, E, K, N, i1, i2);
  }
  const { codes, dequantized, scales, zeros } = state;
  return { codes, dequantized, scales, zeros };
}

/**
 * Quantizes rows [i1, i2) in order, each row's scaled error (w − q)/U_rr going to row
 * r − eRow0 of E and into the rows after it inside the block at once. Rows after i2 are
 * the caller's (the lazy update).
 * // Wp (K,N) updated in place, E (·,N)
 */
export function sweepBlock(input: SweepInput, state: SweepState, i1: number, i2: number, E: Float32Array, eRow0: number): void {
  const { Wp, U, K, N, bits, kind, groupSize, staticGrids, perm } = input;
  const { codes, dequantized, scales, zeros, rowScale, rowZero } = state;
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
      }
      for (let n = 0; n < N; n++) {
        rowScale[n] = scales[n * nGroups + g];
        rowZero[n] = zeros[n * nGroups + g];
      }
    }
    const ro = r * N;
    const eo = (r - eRow0) * N;
    const d = U[r * K + r];
    for (let n = 0; n < N; n++) {
      const w = Wp[ro + n];
      const c = quantizeToCode(w, rowScale[n], rowZero[n], maxq, minq);
      const q = dequantizeCode(c, rowScale[n], rowZero[n]);
      codes[ro + n] = c;
      dequantized[ro + n] = q;
      E[eo + n] = (w - q) / d;
    }
    // In-block update: W[r', :] -= U[r, r']·err for the rest of the block.
    for (let r2 = r + 1; r2 < i2; r2++) {
      const c = U[r * K + r2];
      if (c === 0) continue;
      const o = r2 * N;
      for (let n = 0; n < N; n++) Wp[o + n] -= c * E[eo + n];
    }
  }
}

/**
 * W[r, :] -= Σ_{j∈[i1,i2)} U[j, r]·E[j−i1, :] for every row r ≥ i2: the O(K²N) part.
 * Four error rows per pass so each W row is loaded and stored a quarter as often.
 */
function lazyUpdate(Wp: Float32Array, U: Float64Array, E: Float32Array, K: number, N: number, i1: number, i2: number): void {
  const bs = i2 - i1;
  for (let r = i2; r < K; r++) {
    const o = r * N;
    let j = 0;
    for (; j + 3 < bs; j += 4) {
      const c0 = U[(i1 + j) * K + r];
      const c1 = U[(i1 + j + 1) * K + r];
      const c2 = U[(i1 + j + 2) * K + r];
      const c3 = U[(i1 + j + 3) * K + r];
      const e0 = j * N;
      const e1 = e0 + N;
      const e2 = e1 + N;
      const e3 = e2 + N;
      for (let n = 0; n < N; n++) {
        Wp[o + n] -= c0 * E[e0 + n] + c1 * E[e1 + n] + c2 * E[e2 + n] + c3 * E[e3 + n];
      }
    }
    for (; j < bs; j++) {
      const c = U[(i1 + j) * K + r];
      const e = j * N;
      for (let n = 0; n < N; n++) Wp[o + n] -= c * E[e + n];
    }
  }
}
