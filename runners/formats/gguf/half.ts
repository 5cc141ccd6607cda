/**
 * 16-bit float conversions exactly as ggml does them (GGML_FP16_TO_FP32 is the IEEE
 * binary16 → binary32 widening, exact for every input incl. subnormals, inf and NaN;
 * bf16 is the top half of a float32).
 */

/** binary16 bits → the float32 value (as a JS number, exactly representable in float32). */
export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal (and ±0)
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const f32Bits = new Float32Array(1);
const u32Bits = new Uint32Array(f32Bits.buffer);

/** bf16 bits → float32 value. */
export function bf16ToF32(h: number): number {
  u32Bits[0] = (h & 0xffff) << 16;
  return f32Bits[0];
}

/**
 * float32 → binary16 bits, round to nearest even (ggml's GGML_FP32_TO_FP16 on CPUs with
 * F16C, and numpy's astype(float16), which convert_hf_to_gguf uses).
 */
export function f32ToF16(value: number): number {
  f32Bits[0] = value;
  const x = u32Bits[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let h = mant >>> shift;
    if (rest > half || (rest === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++; // a carry into the exponent is the right rounding
  return sign | h;
}
