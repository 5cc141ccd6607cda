import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dequantizeNf4, NF4_CODEBOOK, quantizeNf4 } from '../../kernels/nf4.js';
import { doubleQuantizeAbsmax, DYNAMIC_MAP_8BIT } from '../../kernels/nf4-double-quant.js';
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

test('deterministic', () => {
  const W = randomWeight(2, 64, 4);
  assert.equal([...quantizeNf4(W, 64, 4).codes], [...quantizeNf4(W, 64, 4).codes]);
});

test.run();
