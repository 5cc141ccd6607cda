import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { upperCholeskyOfInverse } from '../../kernels/cholesky.js';
import { outputErrorRatio } from '../../kernels/error-stats.js';
import { quantizeGptq } from '../../kernels/gptq.js';
import { layerHessian } from '../../kernels/hessian.js';
import { packMatMulNBits } from '../../kernels/pack-nbits.js';
import { gridFromRange, quantizeToCode, dequantizeCode, type Grid, type GridKind } from '../../kernels/quant-grid.js';
import { quantizeRtn } from '../../kernels/rtn.js';
import { correlatedInputs, inputError, randomWeight } from './fixtures.js';

const test = suite('kernels/gptq');

test('upper Cholesky of H⁻¹ on a 2×2 (computed by hand)', () => {
  // H = [[4,2],[2,3]], H⁻¹ = [[3,-2],[-2,4]]/8; U = [[sqrt(3/8), -1/(4·sqrt(3/8))], [0, sqrt(1/3)]].
  const U = upperCholeskyOfInverse(Float64Array.from([4, 2, 2, 3]), 2)!;
  const u00 = Math.sqrt(3 / 8);
  const expected = [u00, -0.25 / u00, 0, Math.sqrt(1 / 3)];
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(U[i] - expected[i]) < 1e-12, `U[${i}] = ${U[i]}`);
});

test('UᵀU = H⁻¹ on a random 70×70 SPD matrix (blocked code across block edges)', () => {
  const n = 70;
  const X = correlatedInputs(4, 200, n);
  const H = layerHessian(X, 200, n);
  for (let i = 0; i < n; i++) H[i * n + i] += 0.1;
  const Hc = Float64Array.from(H);
  const U = upperCholeskyOfInverse(H, n)!;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // (H · UᵀU)[i][j] should be δ_ij.
      let s = 0;
      for (let k = 0; k < n; k++) {
        let hinv = 0;
        for (let m = 0; m <= Math.min(k, j); m++) hinv += U[m * n + k] * U[m * n + j];
        s += Hc[i * n + k] * hinv;
      }
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      if (j < i) assert.is(U[i * n + j], 0);
    }
  }
  assert.ok(worst < 1e-8, `max deviation ${worst}`);
});

/**
 * Naive GPTQ (no blocks, no lazy updates): the paper's Algorithm 1 written plainly, with
 * H⁻¹'s Cholesky from the kernel checked separately above. Per-channel grids come from
 * the original column; with groups, each group's grid is fitted when its first row is
 * reached, on rows [g·group, min(K, (g+1)·group)) as updated so far (the reference's
 * `W[:, i:i+groupsize]`, which stops at K: a partial last group).
 */
function naiveGptq(
  W: Float32Array, K: number, N: number, X: Float32Array, T: number, bits: number,
  opts: { group?: number; grid?: GridKind } = {},
): { dequantized: Float32Array; codes: Uint8Array; scales: number[][] } {
  const group = opts.group ?? K;
  const kind = opts.grid ?? 'asymmetric';
  const H = layerHessian(X, T, K);
  let mean = 0;
  for (let k = 0; k < K; k++) mean += H[k * K + k] / K;
  for (let k = 0; k < K; k++) H[k * K + k] += 0.01 * mean;
  const U = upperCholeskyOfInverse(H, K)!;
  const Wc = Array.from(W);
  const out = new Float32Array(K * N);
  const codes = new Uint8Array(K * N);
  const scales: number[][] = Array.from({ length: N }, () => []);
  const grids: Grid[] = new Array(N);
  for (let i = 0; i < K; i++) {
    if (i % group === 0) {
      for (let n = 0; n < N; n++) {
        const col = Array.from({ length: Math.min(group, K - i) }, (_, r) => Wc[(i + r) * N + n]);
        grids[n] = gridFromRange(Math.min(...col), Math.max(...col), bits, kind);
        scales[n].push(grids[n].scale);
      }
    }
    for (let n = 0; n < N; n++) {
      const { scale, zero } = grids[n];
      const c = quantizeToCode(Wc[i * N + n], scale, zero, 2 ** bits - 1, kind === 'symmetric-narrow' ? 1 : 0);
      const q = dequantizeCode(c, scale, zero);
      codes[i * N + n] = c;
      out[i * N + n] = q;
      const err = (Wc[i * N + n] - q) / U[i * K + i];
      for (let j = i + 1; j < K; j++) Wc[j * N + n] -= err * U[i * K + j];
    }
  }
  return { dequantized: out, codes, scales };
}

test('blocked lazy-update GPTQ equals the naive column loop', () => {
  const K = 48;
  const N = 10;
  const T = 120;
  const W = randomWeight(7, K, N);
  const X = correlatedInputs(7, T, K);
  const ref = naiveGptq(W, K, N, X, T, 4).dequantized;
  const got = quantizeGptq(W, K, N, X, { bits: 4, blockSize: 16 });
  let same = 0;
  for (let i = 0; i < K * N; i++) if (Math.abs(got.dequantized[i] - ref[i]) < 1e-6) same++;
  // Float32 vs float64 accumulation may flip a rare rounding tie.
  assert.ok(same >= K * N - 2, `${K * N - same} of ${K * N} elements differ`);
});

test('partial last group: K = 172, groups 32 and 64, all grids: blocked GPTQ equals the naive loop', () => {
  const K = 172;
  const N = 8;
  const T = 256;
  const W = randomWeight(31, K, N);
  const X = correlatedInputs(31, T, K);
  for (const group of [32, 64]) {
    for (const grid of ['asymmetric', 'symmetric-full', 'symmetric-narrow'] as const) {
      const where = `group ${group} ${grid}`;
      const ref = naiveGptq(W, K, N, X, T, 4, { group, grid });
      // blockSize 64: a multiple of both groups, so no group straddles a lazy-update boundary.
      const got = quantizeGptq(W, K, N, X, { bits: 4, group, symmetric: grid !== 'asymmetric', symGrid: grid === 'symmetric-narrow' ? 'narrow' : 'full', blockSize: 64 });
      assert.is(got.grid, grid, where);
      const nGroups = Math.ceil(K / group);
      assert.is(got.scales.length, N * nGroups, where);
      let differ = 0;
      for (let i = 0; i < K * N; i++) if (got.codes[i] !== ref.codes[i]) differ++;
      // Float32 vs float64 accumulation may flip a rare rounding tie (measured: 0 of 1376 for all six).
      assert.ok(differ <= 4, `${where}: ${differ} of ${K * N} codes differ`);
      for (let n = 0; n < N; n++) {
        for (let g = 0; g < nGroups; g++) {
          const a = got.scales[n * nGroups + g];
          assert.ok(Math.abs(a - ref.scales[n][g]) <= 1e-4 * a, `${where}: scale (${n}, ${g}) ${a} vs ${ref.scales[n][g]}`);
        }
      }
      if (grid === 'symmetric-narrow') assert.ok(got.codes.every((c) => c >= 1));
      const rtn = quantizeRtn(W, K, N, { bits: 4, symmetric: grid !== 'asymmetric', symGrid: grid === 'symmetric-narrow' ? 'narrow' : 'full', granularity: group });
      assert.ok(got.stats.outputError! <= outputErrorRatio(X, T, K, W, rtn.dequantized, N), `${where}: gptq beats rtn`);
    }
  }
});

test('output error ≤ RTN at the same bits and group (seeds 1–3, bits 3 and 4)', () => {
  const K = 96;
  const N = 24;
  const T = 192;
  for (const seed of [1, 2, 3]) {
    const W = randomWeight(seed, K, N);
    const X = correlatedInputs(seed + 100, T, K);
    for (const bits of [3, 4]) {
      for (const group of ['channel', 32] as const) {
        const g = quantizeGptq(W, K, N, X, { bits, group });
        const r = quantizeRtn(W, K, N, { bits, granularity: group });
        const rtnError = outputErrorRatio(X, T, K, W, r.dequantized, N);
        assert.ok(g.stats.outputError! <= rtnError, `seed ${seed} bits ${bits} group ${group}: gptq ${g.stats.outputError} rtn ${rtnError}`);
        for (const actOrder of [true]) {
          const a = quantizeGptq(W, K, N, X, { bits, group, actOrder });
          assert.ok(a.stats.outputError! <= rtnError, `act-order seed ${seed} bits ${bits} group ${group}`);
        }
      }
    }
  }
});

test('act-order groups: non-contiguous groupIndex (not packable); static groups packable', () => {
  const K = 64;
  const N = 8;
  const W = randomWeight(5, K, N);
  const X = correlatedInputs(5, 128, K, { outliers: 3 });
  const dyn = quantizeGptq(W, K, N, X, { bits: 4, group: 16, actOrder: true });
  assert.ok(dyn.groupIndex && dyn.permutation);
  assert.throws(() => packMatMulNBits(dyn), inputError(/act-order/));
  const stat = quantizeGptq(W, K, N, X, { bits: 4, group: 16, actOrder: true, staticGroups: true });
  assert.is(stat.groupIndex, undefined);
  packMatMulNBits(stat);
  // Codes and grids agree with Ŵ in both cases.
  for (const r of [dyn, stat]) {
    for (let k = 0; k < K; k++) {
      const g = r.groupIndex ? r.groupIndex[k] : Math.floor(k / 16);
      for (let n = 0; n < N; n++) {
        const i = n * 4 + g;
        assert.is(r.dequantized[k * N + n], dequantizeCode(r.codes[k * N + n], r.scales[i], r.zeros[i]));
      }
    }
  }
});

test('dead inputs are zeroed; symmetric grids use zero 2^(bits−1)', () => {
  const K = 32;
  const N = 4;
  const T = 64;
  const X = correlatedInputs(2, T, K);
  for (let t = 0; t < T; t++) X[t * K + 5] = 0;
  const r = quantizeGptq(randomWeight(2, K, N), K, N, X, { bits: 4, symmetric: true });
  assert.is(r.deadInputs, 1);
  for (let n = 0; n < N; n++) assert.is(r.dequantized[5 * N + n], 0);
  assert.ok([...r.zeros].every((z) => z === 8));
});

test('deterministic; empty calibration is an InputError', () => {
  const W = randomWeight(3, 32, 4);
  const X = correlatedInputs(3, 40, 32);
  assert.equal([...quantizeGptq(W, 32, 4, X, { bits: 3 }).codes], [...quantizeGptq(W, 32, 4, X, { bits: 3 }).codes]);
  assert.throws(() => quantizeGptq(W, 32, 4, new Float32Array(0), { bits: 4 }), inputError(/empty/));
});

test.run();
