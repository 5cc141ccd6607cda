import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../core/errors.js';
import { dequantizeMatrix, quantizeRtn } from '../../kernels/rtn.js';
import { randomWeight } from './fixtures.js';

const test = suite('kernels/rtn');

/**
 * Naive RTN written from GPTQ's reference Quantizer formulas: per (column, group) take
 * min/max (widened to include 0; symmetric: ±absmax), scale = (max − min)/(2^b − 1),
 * zero = round(−min/scale) (symmetric: 2^(b−1)), q = clamp(round(x/scale) + zero).
 */
function naiveRtn(W: Float32Array, K: number, N: number, bits: number, sym: boolean, group: number | 'tensor'): Uint8Array {
  const maxq = 2 ** bits - 1;
  const rint = (v: number) => {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  };
  const codes = new Uint8Array(K * N);
  const cells: number[][] = [];
  if (group === 'tensor') cells.push(Array.from({ length: K * N }, (_, i) => i));
  else {
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < K / group; g++) cells.push(Array.from({ length: group }, (_, i) => (g * group + i) * N + n));
    }
  }
  for (const idx of cells) {
    let lo = Math.min(0, ...idx.map((i) => W[i]));
    let hi = Math.max(0, ...idx.map((i) => W[i]));
    if (sym) {
      hi = Math.max(-lo, hi);
      lo = -hi;
    }
    if (lo === 0 && hi === 0) {
      lo = -1;
      hi = 1;
    }
    const scale = Math.fround((hi - lo) / maxq);
    const zero = sym ? (maxq + 1) / 2 : rint(-lo / scale);
    for (const i of idx) codes[i] = Math.min(maxq, Math.max(0, rint(W[i] / scale) + zero));
  }
  return codes;
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
        assert.equal([...q.codes], [...ref], `bits ${bits} sym ${symmetric} ${granularity}`);
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
  assert.throws(() => quantizeRtn(W, 96, 2, { bits: 4, granularity: 64 }), (e: unknown) => e instanceof InputError && /K = 96/.test(e.message) && /32/.test(e.message));
});

test.run();
