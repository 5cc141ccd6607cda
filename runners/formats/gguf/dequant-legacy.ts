/**
 * Dequantizers of ggml's 32-element block types, as ggml-quants.c dequantize_row_* computes
 * them (float32 arithmetic, each product rounded before the add: no fused multiply-add).
 * // blocks (nBlocks · typeSize bytes) -> y (nBlocks · 32,)
 */
import { f16ToF32 } from './half.js';

const f = Math.fround;

function half(b: Uint8Array, at: number): number {
  return f16ToF32(b[at] | (b[at + 1] << 8));
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** Q4_0: {d f16, qs[16]}; y[j] = (lo(qs[j]) − 8)·d, y[j+16] = (hi(qs[j]) − 8)·d. */
export function dequantizeQ4_0(src: Uint8Array, y: Float32Array): void {
  for (let i = 0, at = 0; at < src.length; i++, at += 18) {
    const d = half(src, at);
    for (let j = 0; j < 16; j++) {
      const q = src[at + 2 + j];
      y[i * 32 + j] = ((q & 0xf) - 8) * d;
      y[i * 32 + j + 16] = ((q >> 4) - 8) * d;
    }
  }
}

/** Q4_1: {d f16, m f16, qs[16]}; y = q·d + m. */
export function dequantizeQ4_1(src: Uint8Array, y: Float32Array): void {
  for (let i = 0, at = 0; at < src.length; i++, at += 20) {
    const d = half(src, at), m = half(src, at + 2);
    for (let j = 0; j < 16; j++) {
      const q = src[at + 4 + j];
      y[i * 32 + j] = f((q & 0xf) * d) + m;
      y[i * 32 + j + 16] = f((q >> 4) * d) + m;
    }
  }
}

/** Q5_0: {d f16, qh u32, qs[16]}; 5-bit q = nibble | (bit of qh) << 4, y = (q − 16)·d. */
export function dequantizeQ5_0(src: Uint8Array, y: Float32Array): void {
  for (let i = 0, at = 0; at < src.length; i++, at += 22) {
    const d = half(src, at), qh = u32(src, at + 2);
    for (let j = 0; j < 16; j++) {
      const q = src[at + 6 + j];
      y[i * 32 + j] = (((q & 0xf) | (((qh >>> j) << 4) & 0x10)) - 16) * d;
      y[i * 32 + j + 16] = (((q >> 4) | ((qh >>> (j + 12)) & 0x10)) - 16) * d;
    }
  }
}

/** Q5_1: {d f16, m f16, qh u32, qs[16]}; y = q·d + m. */
export function dequantizeQ5_1(src: Uint8Array, y: Float32Array): void {
  for (let i = 0, at = 0; at < src.length; i++, at += 24) {
    const d = half(src, at), m = half(src, at + 2), qh = u32(src, at + 4);
    for (let j = 0; j < 16; j++) {
      const q = src[at + 8 + j];
      y[i * 32 + j] = f(((q & 0xf) | (((qh >>> j) << 4) & 0x10)) * d) + m;
      y[i * 32 + j + 16] = f(((q >> 4) | ((qh >>> (j + 12)) & 0x10)) * d) + m;
    }
  }
}

/** Q8_0: {d f16, qs int8[32]}; y = q·d. */
export function dequantizeQ8_0(src: Uint8Array, y: Float32Array): void {
  for (let i = 0, at = 0; at < src.length; i++, at += 34) {
    const d = half(src, at);
    for (let j = 0; j < 32; j++) y[i * 32 + j] = ((src[at + 2 + j] << 24) >> 24) * d;
  }
}
