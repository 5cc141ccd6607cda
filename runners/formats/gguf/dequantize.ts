/**
 * One entry point from a GGUF tensor's raw bytes to float32 values, by ggml type. Codebook
 * types (IQ*, TQ*) and types no file carries as weights are refused with the tensor named.
 */
import { InputError } from '../../../core/errors.js';
import type { GgmlTypeInfo } from './ggml-types.js';
import { bf16ToF32, f16ToF32 } from './half.js';
import { dequantizeQ4_0, dequantizeQ4_1, dequantizeQ5_0, dequantizeQ5_1, dequantizeQ8_0 } from './dequant-legacy.js';
import { dequantizeQ2_K, dequantizeQ3_K, dequantizeQ4_K, dequantizeQ5_K, dequantizeQ6_K } from './dequant-k.js';

/** A dequantizer: raw blocks -> float32 values (y has blocks · blockSize entries). */
export type Dequantizer = (src: Uint8Array, y: Float32Array) => void;

function f32(src: Uint8Array, y: Float32Array): void {
  new Uint8Array(y.buffer, y.byteOffset, y.byteLength).set(src);
}

function f16(src: Uint8Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = f16ToF32(src[2 * i] | (src[2 * i + 1] << 8));
}

function bf16(src: Uint8Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = bf16ToF32(src[2 * i] | (src[2 * i + 1] << 8));
}

/** Every ggml type compbench dequantizes, by name. */
export const DEQUANTIZERS: Readonly<Record<string, Dequantizer>> = {
  F32: f32,
  F16: f16,
  BF16: bf16,
  Q4_0: dequantizeQ4_0,
  Q4_1: dequantizeQ4_1,
  Q5_0: dequantizeQ5_0,
  Q5_1: dequantizeQ5_1,
  Q8_0: dequantizeQ8_0,
  Q2_K: dequantizeQ2_K,
  Q3_K: dequantizeQ3_K,
  Q4_K: dequantizeQ4_K,
  Q5_K: dequantizeQ5_K,
  Q6_K: dequantizeQ6_K,
};

/** The dequantizer of `type`, or an InputError naming tensor `name` of `file` (codebook and unknown types). */
export function dequantizerOf(type: GgmlTypeInfo, file: string, name: string): Dequantizer {
  const run = DEQUANTIZERS[type.name];
  if (run) return run;
  const why = type.codebook ? 'a codebook type' : 'not a weight type compbench reads';
  throw new InputError(`${file}: tensor '${name}' is ${type.name} (${why}), not supported for import: re-quantize the model to Q4_0, Q8_0, a K-quant, F16 or F32`);
}

/**
 * Dequantizes `bytes` of `type` (the data of tensor `name` in `file`) into float32.
 * // raw (elements / blockSize · typeSize bytes) -> (elements,)
 */
export function dequantizeTensor(type: GgmlTypeInfo, bytes: Uint8Array, file: string, name: string): Float32Array {
  const run = dequantizerOf(type, file, name);
  const y = new Float32Array((bytes.length / type.typeSize) * type.blockSize);
  run(bytes, y);
  return y;
}
