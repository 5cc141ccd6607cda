/**
 * Dequantizers of ggml's 256-element super-block types (K-quants), as ggml-quants.c
 * dequantize_row_q{2..6}_K computes them: float32 arithmetic, every product rounded
 * before the subtraction (no fused multiply-add).
 * // blocks (nBlocks · typeSize bytes) -> y (nBlocks · 256,)
 */
import { f16ToF32 } from './half.js';

const f = Math.fround;

function half(b: Uint8Array, at: number): number {
  return f16ToF32(b[at] | (b[at + 1] << 8));
}

/** 6-bit scale and min number j of a Q4_K/Q5_K block's 12 packed bytes at `s`. */
function scaleMinK4(j: number, b: Uint8Array, s: number): [number, number] {
  if (j < 4) return [b[s + j] & 63, b[s + j + 4] & 63];
  return [(b[s + j + 4] & 0xf) | ((b[s + j - 4] >> 6) << 4), (b[s + j + 4] >> 4) | ((b[s + j] >> 6) << 4)];
}

/** Q2_K: {scales[16] (lo: scale, hi: min), qs[64], d f16, dmin f16}. */
export function dequantizeQ2_K(src: Uint8Array, y: Float32Array): void {
  let o = 0;
  for (let at = 0; at < src.length; at += 84) {
    const d = half(src, at + 80), min = half(src, at + 82);
    let is = 0;
    for (let n = 0; n < 256; n += 128) {
      const q = at + 16 + n / 4;
      for (let shift = 0; shift < 8; shift += 2) {
        for (const off of [0, 16]) {
          const sc = src[at + is++];
          const dl = f(d * (sc & 0xf)), ml = f(min * (sc >> 4));
          for (let l = 0; l < 16; l++) y[o++] = f(dl * ((src[q + l + off] >> shift) & 3)) - ml;
        }
      }
    }
  }
}

/** Q3_K: {hmask[32], qs[64], scales[12] (16 × 6 bits), d f16}; q = 2 low bits − (high bit clear ? 4 : 0). */
export function dequantizeQ3_K(src: Uint8Array, y: Float32Array): void {
  let o = 0;
  const scales = new Int8Array(16);
  for (let at = 0; at < src.length; at += 110) {
    const d = half(src, at + 108);
    const s = at + 96;
    for (let j = 0; j < 16; j++) {
      const low = j < 8 ? (src[s + (j % 8)] >> (j < 8 ? 0 : 4)) & 0xf : (src[s + (j - 8)] >> 4) & 0xf;
      const high = (src[s + 8 + (j % 4)] >> (2 * Math.floor(j / 4))) & 3;
      scales[j] = (low | (high << 4)) - 32;
    }
    let is = 0, m = 1;
    for (let n = 0; n < 256; n += 128) {
      const q = at + 32 + n / 4;
      for (let shift = 0; shift < 8; shift += 2, m <<= 1) {
        for (const off of [0, 16]) {
          const dl = f(d * scales[is++]);
          for (let l = 0; l < 16; l++) {
            y[o++] = dl * (((src[q + l + off] >> shift) & 3) - (src[at + l + off] & m ? 0 : 4));
          }
        }
      }
    }
  }
}

/** Q4_K: {d f16, dmin f16, scales[12] (8 × 6-bit scale and min), qs[128]}. */
export function dequantizeQ4_K(src: Uint8Array, y: Float32Array): void {
  let o = 0;
  for (let at = 0; at < src.length; at += 144) {
    const d = half(src, at), min = half(src, at + 2);
    for (let j = 0, is = 0; j < 256; j += 64, is += 2) {
      const q = at + 16 + j / 2;
      const [sc1, m1] = scaleMinK4(is, src, at + 4), [sc2, m2] = scaleMinK4(is + 1, src, at + 4);
      const d1 = f(d * sc1), min1 = f(min * m1), d2 = f(d * sc2), min2 = f(min * m2);
      for (let l = 0; l < 32; l++) y[o++] = f(d1 * (src[q + l] & 0xf)) - min1;
      for (let l = 0; l < 32; l++) y[o++] = f(d2 * (src[q + l] >> 4)) - min2;
    }
  }
}

/** Q5_K: {d f16, dmin f16, scales[12], qh[32], qs[128]}; the 5th bit from qh. */
export function dequantizeQ5_K(src: Uint8Array, y: Float32Array): void {
  let o = 0;
  for (let at = 0; at < src.length; at += 176) {
    const d = half(src, at), min = half(src, at + 2);
    const qh = at + 16;
    let u1 = 1, u2 = 2;
    for (let j = 0, is = 0; j < 256; j += 64, is += 2, u1 <<= 2, u2 <<= 2) {
      const ql = at + 48 + j / 2;
      const [sc1, m1] = scaleMinK4(is, src, at + 4), [sc2, m2] = scaleMinK4(is + 1, src, at + 4);
      const d1 = f(d * sc1), min1 = f(min * m1), d2 = f(d * sc2), min2 = f(min * m2);
      for (let l = 0; l < 32; l++) y[o++] = f(d1 * ((src[ql + l] & 0xf) + (src[qh + l] & u1 ? 16 : 0))) - min1;
      for (let l = 0; l < 32; l++) y[o++] = f(d2 * ((src[ql + l] >> 4) + (src[qh + l] & u2 ? 16 : 0))) - min2;
    }
  }
}

/** Q6_K: {ql[128], qh[64], scales int8[16], d f16}; q = 4 low | 2 high bits − 32, y = d·scale·q. */
export function dequantizeQ6_K(src: Uint8Array, y: Float32Array): void {
  for (let at = 0, o = 0; at < src.length; at += 210, o += 256) {
    const d = half(src, at + 208);
    for (let n = 0; n < 2; n++) {
      const ql = at + 64 * n, qh = at + 128 + 32 * n, sc = at + 192 + 8 * n, base = o + 128 * n;
      const s = (k: number): number => f(d * ((src[sc + k] << 24) >> 24));
      for (let l = 0; l < 32; l++) {
        const is = l >> 4, h = src[qh + l];
        y[base + l] = s(is) * (((src[ql + l] & 0xf) | ((h & 3) << 4)) - 32);
        y[base + l + 32] = s(is + 2) * (((src[ql + l + 32] & 0xf) | (((h >> 2) & 3) << 4)) - 32);
        y[base + l + 64] = s(is + 4) * (((src[ql + l] >> 4) | (((h >> 4) & 3) << 4)) - 32);
        y[base + l + 96] = s(is + 6) * (((src[ql + l + 32] >> 4) | (((h >> 6) & 3) << 4)) - 32);
      }
    }
  }
}
