import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../core/errors.js';
import { dequantizeMatrix, quantizeRtn } from '../../kernels/rtn.js';
import { randomWeight } from './fixtures.js';

const test = suite('kernels/rtn');

type Grid = 'asymmetric' | 'symmetric-full' | 'symmetric-narrow';

/**
 * Naive RTN written from GPTQ's reference Quantizer formulas: per (column, group) take
 * min/max (widened to include 0; symmetric: ±absmax a), scale = (max − min)/(2^b − 1),
 * zero = round(−min/scale) (symmetric-full: 2^(b−1)); symmetric-narrow: scale =
 * a/(2^(b−1) − 1), zero = 2^(b−1), codes ≥ 1; q = clamp(round(x/scale) + zero). Groups are
 * rows [g·group, min(K, (g+1)·group)) of a column: the last one is partial when group ∤ K.
 */
function naiveRtn(W: Float32Array, K: number, N: number, bits: number, grid: Grid | boolean, group: number | 'tensor'): { codes: Uint8Array; scales: number[] } {
  const kind: Grid = grid === true ? 'symmetric-full' : grid === false ? 'asymmetric' : grid;
  const maxq = 2 ** bits - 1;
  const rint = (v: number) => {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  };
  const codes = new Uint8Array(K * N);
  const scales: number[] = [];
  const cells: number[][] = [];
  if (group === 'tensor') cells.push(Array.from({ length: K * N }, (_, i) => i));
  else {
    for (let n = 0; n < N; n++) {
      for (let r0 = 0; r0 < K; r0 += group) cells.push(Array.from({ length: Math.min(group, K - r0) }, (_, i) => (r0 + i) * N + n));
    }
  }
  for (const idx of cells) {
    let lo = Math.min(0, ...idx.map((i) => W[i]));
    let hi = Math.max(0, ...idx.map((i) => W[i]));
    if (kind !== 'asymmetric') {
      hi = Math.max(-lo, hi);
      lo = -hi;
    }
    if (lo === 0 && hi === 0) {
      lo = -1;
      hi = 1;
    }
    const narrow = kind === 'symmetric-narrow';
    const scale = Math.fround(narrow ? hi / (2 ** (bits - 1) - 1) : (hi - lo) / maxq);
    const zero = kind === 'asymmetric' ? rint(-lo / scale) : 2 ** (bits - 1);
    for (const i of idx) codes[i] = Math.min(maxq, Math.max(narrow ? 1 : 0, rint(W[i] / scale) + zero));
    scales.push(scale);
  }
  return { codes, scales };
}

test('fixed 2-bit asymmetric vector (computed by hand from the formulas above)', () => {
  // W (4,1) = [-0.9, -0.5, 0.2, 0.6]: range [-0.9, 0.6] (float32 sum is exactly 1.5), scale = 1.5/3 = 0.5,
  // zero = round(0.9/0.5 = 1.8) = 2; codes round(-1.8)+2 = 0, round(-1)+2 = 1, round(0.4)+2 = 2,
  // round(1.2)+2 = 3; dequantized 0.5·(q − 2) = [-1, -0.5, 0, 0.5].
  const q = quantizeRtn(Float32Array.from([-0.9, -0.5, 0.2, 0.6]), 4, 1, { bits: 2 });
  assert.equal([...q.codes], [0, 1, 2, 3]);
  assert.equal(q.scales[0], 0.5);
  assert.equal(q.zeros[0], 2);
  assert.equal([...q.dequantized], [-1, -0.5, 0, 0.5]);
});

test('fixed 4-bit symmetric vector (computed by hand)', () => {
  // absmax 0.6 -> scale = 1.2/15 = 0.08, zero 8; 0.6/0.08 = 7.5 -> 8 (even) -> 16 -> clamp 15;
  // -0.2/0.08 = -2.5 -> -2 (even) -> 6; 0.1/0.08 = 1.25 -> 1 -> 9; 0 -> 8.
  const q = quantizeRtn(Float32Array.from([0.6, -0.2, 0.1, 0]), 4, 1, { bits: 4, symmetric: true });
  assert.equal([...q.codes], [15, 6, 9, 8]);
  assert.equal(q.zeros[0], 8);
  assert.equal(q.scales[0], Math.fround((2 * Math.fround(0.6)) / 15)); // 0.6 is stored as float32
});

test('matches the naive reference for bits 2–8, sym/asym, tensor/channel/groups', () => {
  const K = 64;
  const N = 6;
  const W = randomWeight(11, K, N);
  for (let bits = 2; bits <= 8; bits++) {
    for (const symmetric of [false, true]) {
      for (const granularity of ['tensor', 'channel', 16, 32] as const) {
        const q = quantizeRtn(W, K, N, { bits, symmetric, granularity });
        const ref = naiveRtn(W, K, N, bits, symmetric, granularity === 'channel' ? K : granularity);
        assert.equal([...q.codes], [...ref.codes], `bits ${bits} sym ${symmetric} ${granularity}`);
      }
    }
  }
});

test('per-element error ≤ scale/2 inside the representable range', () => {
  const K = 128;
  const N = 8;
  const W = randomWeight(3, K, N);
  for (const bits of [2, 3, 4, 8]) {
    for (const symmetric of [false, true]) {
      const q = quantizeRtn(W, K, N, { bits, symmetric, granularity: 32 });
      const nGroups = K / 32;
      let checked = 0;
      for (let k = 0; k < K; k++) {
        for (let n = 0; n < N; n++) {
          const s = q.scales[n * nGroups + Math.floor(k / 32)];
          const z = q.zeros[n * nGroups + Math.floor(k / 32)];
          const v = W[k * N + n];
          if (v < s * (0 - z) || v > s * (2 ** bits - 1 - z)) continue;
          checked++;
          assert.ok(Math.abs(v - q.dequantized[k * N + n]) <= s / 2 + 1e-7, `bits ${bits} k ${k} n ${n}`);
        }
      }
      assert.ok(checked > K * N * 0.9);
    }
  }
});

test('dequantizeMatrix reproduces the dequantized weight; stats are consistent', () => {
  const W = randomWeight(5, 64, 4);
  const q = quantizeRtn(W, 64, 4, { bits: 3, granularity: 16 });
  assert.equal([...dequantizeMatrix(q)], [...q.dequantized]);
  let max = 0;
  for (let i = 0; i < W.length; i++) max = Math.max(max, Math.abs(W[i] - q.dequantized[i]));
  assert.is(q.stats.maxAbsError, max);
  assert.ok(q.stats.relFrobeniusError > 0 && q.stats.relFrobeniusError < 0.5);
});

test('deterministic and more bits give smaller error', () => {
  const W = randomWeight(9, 64, 8);
  const a = quantizeRtn(W, 64, 8, { bits: 4 });
  const b = quantizeRtn(W, 64, 8, { bits: 4 });
  assert.equal([...a.codes], [...b.codes]);
  const errs = [2, 3, 4, 8].map((bits) => quantizeRtn(W, 64, 8, { bits }).stats.relFrobeniusError);
  for (let i = 1; i < errs.length; i++) assert.ok(errs[i] < errs[i - 1]);
});

test('bad bits and groups throw InputError naming the limit', () => {
  const W = randomWeight(1, 96, 2);
  assert.throws(() => quantizeRtn(W, 96, 2, { bits: 9 }), (e: unknown) => e instanceof InputError && /2 to 8/.test(e.message));
  for (const g of [0, -32, 1.5]) {
    assert.throws(() => quantizeRtn(W, 96, 2, { bits: 4, granularity: g }), (e: unknown) => e instanceof InputError && /group size must be a positive integer/.test(e.message), `group ${g}`);
  }
});

test('partial last group: K = 172 with groups 32, 64 (and 48, 256 > K) match the naive reference, all grids', () => {
  const K = 172;
  const N = 5;
  const W = randomWeight(17, K, N);
  for (const bits of [2, 3, 4, 8]) {
    for (const grid of ['asymmetric', 'symmetric-full', 'symmetric-narrow'] as const) {
      for (const group of [32, 64, 48, 256]) {
        const q = quantizeRtn(W, K, N, { bits, symmetric: grid !== 'asymmetric', symGrid: grid === 'symmetric-narrow' ? 'narrow' : 'full', granularity: group });
        const ref = naiveRtn(W, K, N, bits, grid, group);
        const where = `bits ${bits} ${grid} group ${group}`;
        assert.is(q.grid, grid, where);
        assert.is(q.scales.length, N * Math.ceil(K / group), where);
        assert.equal([...q.codes], [...ref.codes], where);
        assert.equal([...q.scales], ref.scales, where);
        assert.equal([...dequantizeMatrix(q)], [...q.dequantized], where);
      }
    }
  }
});

test('fixed partial last group (computed by hand): K = 5, group 4, 2-bit asymmetric', () => {
  // Rows 0–3 as in the 2-bit vector above (scale 0.5, zero 2, codes 0–3); row 4 alone is the
  // last group: range [0, 0.3], scale = 0.3/3 = 0.1, zero 0, code round(0.3/0.1) = 3, Ŵ = 0.3.
  const q = quantizeRtn(Float32Array.from([-0.9, -0.5, 0.2, 0.6, 0.3]), 5, 1, { bits: 2, granularity: 4 });
  assert.equal([...q.codes], [0, 1, 2, 3, 3]);
  assert.equal([...q.scales], [0.5, Math.fround(Math.fround(0.3) / 3)]);
  assert.equal([...q.zeros], [2, 0]);
  assert.equal([...q.dequantized], [-1, -0.5, 0, 0.5, Math.fround(0.3)]);
});

test('fixed 4-bit symmetric vectors, narrow vs full grid (computed by hand)', () => {
  // a = 0.9375 (exact in float32). Narrow: scale = a/7 = 0.133929, zero 8; ±a/s = ±7 -> 15, 1 (±a exact);
  // -0.25/s = -1.87 -> -2 -> 6; 0.125/s = 0.93 -> 1 -> 9; 0 -> 8. Full: scale = 2a/15 = 0.125 (exact),
  // zero 8; a/s = 7.5 -> 8 (half-even) -> 16 -> clamp 15, Ŵ = 0.875 = 0.933a; -a/s = -7.5 -> -8 -> 0,
  // Ŵ = -1 = -1.067a; -0.25 -> 6; 0.125 -> 9; 0 -> 8.
  const W = Float32Array.from([0.9375, -0.25, 0.125, 0, -0.9375]);
  const q = quantizeRtn(W, 5, 1, { bits: 4, symmetric: true, symGrid: 'narrow' });
  assert.is(q.grid, 'symmetric-narrow');
  assert.equal([...q.codes], [15, 6, 9, 8, 1]);
  assert.is(q.scales[0], Math.fround(0.9375 / 7));
  assert.is(q.zeros[0], 8);
  assert.is(q.dequantized[0], 0.9375);
  assert.is(q.dequantized[4], -0.9375);
  const full = quantizeRtn(W, 5, 1, { bits: 4, symmetric: true });
  assert.is(full.grid, 'symmetric-full');
  assert.equal([...full.codes], [15, 6, 9, 8, 0]);
  assert.is(full.scales[0], 0.125);
  assert.equal([...full.dequantized], [0.875, -0.25, 0.125, 0, -1]);
});

test('narrow grid: codes in [1, 2^b − 1] and the column absmax is exact, bits 2–8', () => {
  const K = 64;
  const N = 6;
  const W = randomWeight(23, K, N);
  for (let bits = 2; bits <= 8; bits++) {
    const q = quantizeRtn(W, K, N, { bits, symmetric: true, symGrid: 'narrow' });
    assert.ok(q.codes.every((c) => c >= 1 && c <= 2 ** bits - 1), `bits ${bits}`);
    assert.ok(q.zeros.every((z) => z === 2 ** (bits - 1)));
    for (let n = 0; n < N; n++) {
      let arg = 0;
      for (let k = 1; k < K; k++) if (Math.abs(W[k * N + n]) > Math.abs(W[arg * N + n])) arg = k;
      const w = W[arg * N + n];
      assert.ok(Math.abs(q.dequantized[arg * N + n] - w) <= 2 * Math.abs(w) * 2 ** -23, `bits ${bits} column ${n}: ${q.dequantized[arg * N + n]} vs ${w}`);
    }
  }
});

test.run();
