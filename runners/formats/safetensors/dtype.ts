/**
 * Element types of safetensors files that compbench converts to float32, and their byte
 * codecs (little-endian, as the format stores them).
 */
import { halfToFloat } from '../onnx/index.js';

/** safetensors dtypes holding floating-point weights. */
export const FLOAT_DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const;

/** A safetensors floating-point dtype. */
export type FloatDtype = (typeof FLOAT_DTYPES)[number];

/** Every dtype the format defines, with its element width in bytes (bool and 8-bit floats are 1). */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E4M3: 1, F8_E5M2: 1,
  U16: 2, I16: 2, F16: 2, BF16: 2,
  U32: 4, I32: 4, F32: 4,
  U64: 8, I64: 8, F64: 8,
};

/** True for a dtype that {@link toFloat32} converts. */
export function isFloatDtype(dtype: string): dtype is FloatDtype {
  return (FLOAT_DTYPES as readonly string[]).includes(dtype);
}

/** bf16 bits -> float32: bf16 is the upper half of a float32. */
function bf16ToFloat32(bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) bits[i] = (bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16;
  return out;
}

/** `count` little-endian elements of `dtype` -> a fresh Float32Array (bytes need no alignment). */
export function toFloat32(bytes: Uint8Array, dtype: FloatDtype, count: number): Float32Array {
  if (dtype === 'BF16') return bf16ToFloat32(bytes, count);
  const out = new Float32Array(count);
  if (dtype === 'F32') {
    new Uint8Array(out.buffer).set(bytes.subarray(0, 4 * count));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'F16') for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  else for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

/** float32 -> bf16 bits, rounding to nearest even (as torch's `.to(torch.bfloat16)`); NaN stays NaN. */
export function float32ToBf16Bits(x: number): number {
  const bits = new Uint32Array(Float32Array.of(x).buffer)[0];
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) return (bits >>> 16) | 0x40;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/** float32 -> IEEE half bits, rounding to nearest even; overflow goes to ±Infinity. */
export function float32ToHalfBits(x: number): number {
  const f = Math.fround(x);
  const sign = f < 0 || Object.is(f, -0) ? 0x8000 : 0;
  const a = Math.abs(f);
  if (Number.isNaN(f)) return 0x7e00;
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -24 / 2) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24); // subnormal (Math.round: ties are measure-zero here)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  let m = a / 2 ** e - 1; // [0, 1)
  let frac = m * 1024;
  const floor = Math.floor(frac);
  const rest = frac - floor;
  frac = rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  if (frac === 1024) {
    frac = 0;
    e += 1;
  }
  m = frac;
  return sign | ((e + 15) << 10) | m;
}

/** float32 values -> little-endian bytes of `dtype` (F32, F16 or BF16). */
export function fromFloat32(values: Float32Array, dtype: 'F32' | 'F16' | 'BF16'): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint8Array(2 * values.length);
  const encode = dtype === 'BF16' ? float32ToBf16Bits : float32ToHalfBits;
  for (let i = 0; i < values.length; i++) {
    const h = encode(values[i]);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >>> 8;
  }
  return out;
}
