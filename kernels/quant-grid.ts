/**
 * The uniform quantization grid shared by RTN, GPTQ and AWQ: codes q in [0, 2^bits − 1],
 * Ŵ = scale·(q − zero), the convention of GPTQ's reference `Quantizer` and of MatMulNBits.
 */

/** One grid: a float32 scale and an integer zero point. */
export interface Grid {
  readonly scale: number;
  readonly zero: number;
}

/** Largest code for a bit width: 2^bits − 1. */
export function maxCode(bits: number): number {
  return (1 << bits) - 1;
}

/**
 * The grid for values spanning [min, max].
 * Asymmetric (as GPTQ's reference): the range is widened to include 0, scale =
 * (max − min)/maxq, zero = round(−min/scale). Symmetric: range [−a, a] with
 * a = max(|min|, |max|), zero = 2^(bits−1) (MatMulNBits' default zero point), so the
 * symmetric result needs no zero-point tensor when packed. An all-zero range gets
 * [−1, 1] so the scale is never 0.
 */
export function gridFromRange(min: number, max: number, bits: number, symmetric: boolean): Grid {
  const maxq = maxCode(bits);
  let lo = Math.min(min, 0);
  let hi = Math.max(max, 0);
  if (symmetric) {
    const a = Math.max(-lo, hi);
    lo = -a;
    hi = a;
  }
  if (lo === 0 && hi === 0) {
    lo = -1;
    hi = 1;
  }
  const scale = Math.fround((hi - lo) / maxq);
  const zero = symmetric ? (maxq + 1) / 2 : clamp(roundHalfEven(-lo / scale), 0, maxq);
  return { scale, zero };
}

/** The code of x on a grid: clamp(round(x/scale) + zero, 0, maxq). */
export function quantizeToCode(x: number, scale: number, zero: number, maxq: number): number {
  const q = roundHalfEven(x / scale) + zero;
  return q < 0 ? 0 : q > maxq ? maxq : q;
}

/** The float32 value of a code: scale·(q − zero). */
export function dequantizeCode(q: number, scale: number, zero: number): number {
  return Math.fround(scale * (q - zero));
}

/** Round half to even (IEEE "rint"), as torch.round and ONNX rounding do. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
