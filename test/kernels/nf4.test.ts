import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dequantizeNf4, NF4_CODEBOOK, quantizeNf4 } from '../../kernels/nf4.js';
import { doubleQuantizeAbsmax, DYNAMIC_MAP_8BIT } from '../../kernels/nf4-double-quant.js';
import { InputError } from '../../core/errors.js';
import { randomWeight } from './fixtures.js';

const test = suite('kernels/nf4');

test('codebook: the 16 bitsandbytes NF4 values', () => {
  // bitsandbytes/functional.py get_4bit_type('nf4'), also QLoRA appendix E.
  const expected = [
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
    -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
    0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
  ];
  assert.equal([...NF4_CODEBOOK], expected);
});

test('fixed block (computed by hand: nearest codebook value of x/absmax)', () => {
  // Block of 4 along K, one column: absmax = 1.
  // 0.5 -> between 0.4407 and 0.5626 (midpoint 0.5017) -> 12; -1 -> 0; 0.25 -> 0.2461 -> 10;
  // 0.1 -> between 0.0796 and 0.1609 (midpoint 0.1202) -> 8.
  const r = quantizeNf4(Float32Array.from([0.5, -1, 0.25, 0.1]), 4, 1, { blockSize: 4 });
  assert.equal([...r.codes], [12, 0, 10, 8]);
  assert.equal([...r.absmax], [1]);
  assert.equal([...r.dequantized], [12, 0, 10, 8].map((c) => Math.fround(NF4_CODEBOOK[c])));
});

test('matches a naive argmin over the codebook; blocks run along K per column', () => {
  const K = 128;
  const N = 3;
  const W = randomWeight(4, K, N);
  const r = quantizeNf4(W, K, N);
  assert.is(r.absmax.length, N * 2);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < 2; b++) {
      let m = 0;
      for (let k = b * 64; k < (b + 1) * 64; k++) m = Math.max(m, Math.abs(W[k * N + n]));
      assert.is(r.absmax[n * 2 + b], m);
      for (let k = b * 64; k < (b + 1) * 64; k++) {
        const x = W[k * N + n] / m;
        let best = 0;
        for (let c = 1; c < 16; c++) if (Math.abs(x - NF4_CODEBOOK[c]) < Math.abs(x - NF4_CODEBOOK[best])) best = c;
        assert.is(r.codes[k * N + n], best);
      }
    }
  }
  assert.equal([...dequantizeNf4(r.codes, r.absmax, K, N, 64)], [...r.dequantized]);
  assert.ok(r.stats.relFrobeniusError < 0.15, `NF4 rel error ${r.stats.relFrobeniusError}`);
});

test('dynamic 8-bit map: 256 sorted values in [-1, 1] with 0 and 1', () => {
  assert.is(DYNAMIC_MAP_8BIT.length, 256);
  for (let i = 1; i < 256; i++) assert.ok(DYNAMIC_MAP_8BIT[i] > DYNAMIC_MAP_8BIT[i - 1]);
  assert.is(DYNAMIC_MAP_8BIT[255], 1);
  assert.ok(DYNAMIC_MAP_8BIT.includes(0));
  // Smallest: -(10^0)·(mean of the last two points of linspace(0.1, 1, 65)) = -(0.985937.. + 1)/2.
  assert.ok(Math.abs(DYNAMIC_MAP_8BIT[0] + (1 + (0.1 + (0.9 * 63) / 64)) / 2) < 1e-6);
});

test('double quantization reconstructs the absmax closely and changes Ŵ a little', () => {
  const K = 256;
  const N = 64;
  const W = randomWeight(8, K, N);
  const plain = quantizeNf4(W, K, N);
  const dq = quantizeNf4(W, K, N, { doubleQuant: true });
  assert.ok(dq.doubleQuant);
  assert.is(dq.doubleQuant!.absmax2.length, Math.ceil((N * 4) / 256));
  let worst = 0;
  for (let i = 0; i < dq.absmax.length; i++) worst = Math.max(worst, Math.abs(dq.absmaxUsed[i] - dq.absmax[i]) / dq.absmax[i]);
  assert.ok(worst < 0.02, `absmax relative error ${worst}`);
  assert.equal([...dq.codes], [...plain.codes]);
  assert.ok(Math.abs(dq.stats.relFrobeniusError - plain.stats.relFrobeniusError) < 0.01);
  const direct = doubleQuantizeAbsmax(plain.absmax);
  assert.equal([...direct.dequantized], [...dq.absmaxUsed]);
});

/** Naive NF4: absmax over rows [b·bs, min(K, (b+1)·bs)) of a column, then argmin over the codebook. */
function naiveNf4(W: Float32Array, K: number, N: number, bs: number): { codes: number[]; absmax: number[] } {
  const nBlocks = Math.ceil(K / bs);
  const codes = new Array<number>(K * N).fill(0);
  const absmax: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nBlocks; b++) {
      const rows = Array.from({ length: Math.min(bs, K - b * bs) }, (_, i) => b * bs + i);
      const m = Math.max(...rows.map((k) => Math.abs(W[k * N + n])));
      absmax.push(m);
      for (const k of rows) {
        const x = W[k * N + n] / m;
        let best = 0;
        for (let c = 1; c < 16; c++) if (Math.abs(x - NF4_CODEBOOK[c]) < Math.abs(x - NF4_CODEBOOK[best])) best = c;
        codes[k * N + n] = best;
      }
    }
  }
  return { codes, absmax };
}

/** Naive double quantization: subtract the mean, absmax per 256 values (the last block partial), nearest map value. */
function naiveDoubleQuant(absmax: Float32Array): number[] {
  const mean = Math.fround(absmax.reduce((a, v) => a + v, 0) / absmax.length);
  const out: number[] = [];
  for (let b = 0; b < absmax.length; b += 256) {
    const block = Array.from(absmax.subarray(b, b + 256), (v) => v - mean);
    const m = Math.max(...block.map(Math.abs));
    for (const v of block) {
      let best = 0;
      for (let c = 1; c < 256; c++) if (Math.abs(v / m - DYNAMIC_MAP_8BIT[c]) < Math.abs(v / m - DYNAMIC_MAP_8BIT[best])) best = c;
      out.push(Math.fround(DYNAMIC_MAP_8BIT[best] * m + mean));
    }
  }
  return out;
}

test('partial last block: K = 172, blocks 64 and 32, match the naive reference; double quant with a partial 256-block', () => {
  const K = 172;
  const N = 100;
  const W = randomWeight(13, K, N);
  for (const blockSize of [64, 32]) {
    const r = quantizeNf4(W, K, N, { blockSize, doubleQuant: true });
    const ref = naiveNf4(W, K, N, blockSize);
    assert.is(r.absmax.length, N * Math.ceil(K / blockSize));
    assert.equal([...r.absmax], ref.absmax, `absmax, block ${blockSize}`);
    assert.equal([...r.codes], ref.codes, `codes, block ${blockSize}`);
    // N·3 = 300 and N·6 = 600 absmax values: the last 256-block is partial (44 and 88 values).
    assert.is(r.doubleQuant!.absmax2.length, Math.ceil(r.absmax.length / 256));
    const dq = naiveDoubleQuant(r.absmax);
    let worst = 0;
    for (let i = 0; i < dq.length; i++) worst = Math.max(worst, Math.abs(dq[i] - r.absmaxUsed[i]));
    assert.ok(worst <= 1e-7, `double quant vs naive: ${worst}`);
    assert.equal([...dequantizeNf4(r.codes, r.absmaxUsed, K, N, blockSize)], [...r.dequantized]);
  }
});

test('bad block sizes are InputErrors', () => {
  assert.throws(() => quantizeNf4(new Float32Array(8), 8, 1, { blockSize: 0 }), (e: unknown) => e instanceof InputError && /blockSize must be a positive integer, got 0/.test(e.message));
});

test('deterministic', () => {
  const W = randomWeight(2, 64, 4);
  assert.equal([...quantizeNf4(W, 64, 4).codes], [...quantizeNf4(W, 64, 4).codes]);
});

test.run();
