import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dequantizeMatMulNBits, packMatMulNBits, packZeroPoints, unpackMatMulNBits } from '../../kernels/pack-nbits.js';
import { quantizeRtn } from '../../kernels/rtn.js';
import type { QuantizedMatrix } from '../../kernels/types.js';
import { inputError, randomWeight } from './fixtures.js';

const test = suite('kernels/pack-nbits');

/** A one-column, one-block quantized matrix with the given codes (K = codes.length). */
function column(codes: number[], bits: number): QuantizedMatrix {
  const K = codes.length;
  return {
    K, N: 1, bits, symmetric: false, grid: 'asymmetric', granularity: 'channel', groupSize: K, codes: Uint8Array.from(codes),
    scales: Float32Array.from([1]), zeros: Uint8Array.from([1]), dequantized: new Float32Array(K),
  };
}

test('4-bit: low nibble first (ContribOperators.md MatMulNBits)', () => {
  const t = packMatMulNBits(column(Array.from({ length: 16 }, (_, i) => i), 4), 16);
  assert.is(t.blobSize, 8);
  assert.equal([...t.B], [0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe]);
});

test('2-bit and 3-bit bit streams (computed by hand)', () => {
  // 2-bit codes 0,1,2,3 -> 0b11_10_01_00 = 0xe4, repeated.
  const two = packMatMulNBits(column(Array.from({ length: 16 }, (_, i) => i % 4), 2), 16);
  assert.equal([...two.B], [0xe4, 0xe4, 0xe4, 0xe4]);
  // 3-bit codes 5, 3, 7, 0…: bits 0-2 = 101, 3-5 = 011, 6-8 = 111 -> byte0 = 0b11_011_101 = 0xdd, byte1 bit0 = 1.
  const codes = [5, 3, 7, ...new Array(13).fill(0)];
  const three = packMatMulNBits(column(codes, 3), 16);
  assert.is(three.B.length, 6);
  assert.equal([...three.B.slice(0, 2)], [0xdd, 0x01]);
});

test('zero points packed per column, rows padded to whole bytes', () => {
  // 4-bit, 3 blocks per column: ceil(12/8) = 2 bytes per column.
  assert.equal([...packZeroPoints(Uint8Array.from([1, 2, 3, 4, 5, 6]), 2, 3, 4)], [0x21, 0x03, 0x54, 0x06]);
});

test('round trip: pack -> unpack codes, dequantize == RTN Ŵ, bits 2–8', () => {
  const K = 128;
  const N = 5;
  const W = randomWeight(21, K, N);
  for (let bits = 2; bits <= 8; bits++) {
    for (const symmetric of [false, true]) {
      const q = quantizeRtn(W, K, N, { bits, symmetric, granularity: 32 });
      const t = packMatMulNBits(q);
      assert.is(t.B.length, N * (K / 32) * ((32 * bits) / 8));
      assert.is(t.zeroPoints === undefined, symmetric, `zero points present iff asymmetric (bits ${bits})`);
      const back = unpackMatMulNBits(t);
      assert.equal([...back.codes], [...q.codes], `codes bits ${bits}`);
      assert.equal([...dequantizeMatMulNBits(t)], [...q.dequantized], `Ŵ bits ${bits}`);
    }
  }
});

test('per-channel with K not a multiple of the block: last block padded', () => {
  const K = 40;
  const W = randomWeight(2, K, 3);
  const q = quantizeRtn(W, K, 3, { bits: 4 });
  const t = packMatMulNBits(q, 16);
  assert.is(t.nBlocksPerCol, 3);
  assert.equal([...dequantizeMatMulNBits(t)], [...q.dequantized]);
  // A group of 64 split into blocks of 32 shares its scale.
  const g = quantizeRtn(randomWeight(3, 128, 2), 128, 2, { bits: 4, granularity: 64 });
  const tg = packMatMulNBits(g, 32);
  assert.is(tg.scales[0], tg.scales[1]);
  assert.equal([...dequantizeMatMulNBits(tg)], [...g.dequantized]);
});

test('partial last group: K = 172, groups 32 and 64, every grid: round trip and padding', () => {
  const K = 172;
  const N = 4;
  const W = randomWeight(29, K, N);
  for (const bits of [2, 4, 8]) {
    for (const [symmetric, symGrid] of [[false, 'full'], [true, 'full'], [true, 'narrow']] as const) {
      for (const group of [32, 64]) {
        const where = `bits ${bits} sym ${symmetric} ${symGrid} group ${group}`;
        const q = quantizeRtn(W, K, N, { bits, symmetric, symGrid, granularity: group });
        for (const blockSize of [16, group]) {
          const t = packMatMulNBits(q, blockSize);
          const nBlocks = Math.ceil(K / blockSize);
          assert.is(t.nBlocksPerCol, nBlocks, where);
          assert.is(t.B.length, N * nBlocks * ((blockSize * bits) / 8), where);
          assert.is(t.zeroPoints === undefined, symmetric, `${where}: zero points present iff asymmetric`);
          assert.equal([...unpackMatMulNBits(t).codes], [...q.codes], where);
          assert.equal([...dequantizeMatMulNBits(t)], [...q.dequantized], where);
          // Each block carries the scale of the group holding it, the partial last group included.
          for (let n = 0; n < N; n++) {
            for (let b = 0; b < nBlocks; b++) assert.is(t.scales[n * nBlocks + b], q.scales[n * Math.ceil(K / group) + Math.floor((b * blockSize) / group)], where);
          }
        }
      }
    }
  }
});

test('refuses layouts MatMulNBits cannot express', () => {
  const q = quantizeRtn(randomWeight(1, 128, 2), 128, 2, { bits: 4, granularity: 32 });
  assert.throws(() => packMatMulNBits(q, 64), inputError(/divide the group size/));
  assert.throws(() => packMatMulNBits(q, 8), inputError(/power of 2/));
  assert.throws(() => packMatMulNBits({ ...q, groupIndex: new Int32Array(128) }), inputError(/act-order/));
});

test.run();
