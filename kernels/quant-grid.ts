/**
 * The uniform quantization grids shared by RTN, GPTQ and AWQ: codes q in [qmin, 2^bits − 1],
 * Ŵ = scale·(q − zero), the convention of GPTQ's reference `Quantizer` and of MatMulNBits.
 *
 * Three grids, for a group whose values span [min, max] (widened to include 0) and
 * a = max(|min|, |max|):
 * - `asymmetric`: scale = (max − min)/(2^b − 1), zero = round(−min/scale), codes 0 … 2^b − 1.
 * - `symmetric-full` (default symmetric; GPTQ's reference `Quantizer(sym=True)` and
 *   onnxruntime's blockwise quantizer): scale = 2a/(2^b − 1), zero = 2^(b−1), codes
 *   0 … 2^b − 1, so Ŵ ∈ [−2^(b−1)·scale, (2^(b−1) − 1)·scale] = [−1.067a, 0.933a] at 4 bits:
 *   +a itself is never exact.
 * - `symmetric-narrow` (the textbook "restricted range"): scale = a/(2^(b−1) − 1),
 *   zero = 2^(b−1), codes 1 … 2^b − 1 (signed ±(2^(b−1) − 1)), so ±a are exact and code 0 is
 *   never used.
 * Both symmetric grids have zero point 2^(b−1), MatMulNBits' default, so they pack without
 * a zero-point tensor.
 */

/** One grid: a float32 scale and an integer zero point. */
export interface Grid {
  readonly scale: number;
  readonly zero: number;
}

/** Which symmetric grid: 'full' (2^b codes, scale 2a/(2^b − 1)) or 'narrow' (2^b − 1 codes, scale a/(2^(b−1) − 1)). */
export type SymGrid = 'full' | 'narrow';

/** The grid family of a quantized matrix (see the module comment for the formulas). */
export type GridKind = 'asymmetric' | 'symmetric-full' | 'symmetric-narrow';

/** The grid kind for a `symmetric` flag and a symmetric grid choice (ignored when asymmetric). */
export function gridKind(symmetric: boolean, symGrid: SymGrid = 'full'): GridKind {
  if (!symmetric) return 'asymmetric';
  return symGrid === 'narrow' ? 'symmetric-narrow' : 'symmetric-full';
}

/** Largest code for a bit width: 2^bits − 1. */
export function maxCode(bits: number): number {
  return (1 << bits) - 1;
}

/** Smallest code a grid uses: 1 for the narrow symmetric grid (no −2^(b−1)), else 0. */
export function minCode(kind: GridKind): number {
  return kind === 'symmetric-narrow' ? 1 : 0;
}

/**
 * The grid for values spanning [min, max] (formulas in the module comment). An all-zero
 * range gets [−1, 1] so the scale is never 0.
 */
export function gridFromRange(min: number, max: number, bits: number, kind: GridKind): Grid {
  const maxq = maxCode(bits);
  let lo = Math.min(min, 0);
  let hi = Math.max(max, 0);
  if (kind !== 'asymmetric') {
    const a = Math.max(-lo, hi);
    lo = -a;
    hi = a;
  }
  if (lo === 0 && hi === 0) {
    lo = -1;
    hi = 1;
  }
  const mid = (maxq + 1) / 2;
  if (kind === 'symmetric-narrow') return { scale: Math.fround(hi / (mid - 1)), zero: mid };
  const scale = Math.fround((hi - lo) / maxq);
  const zero = kind === 'symmetric-full' ? mid : clamp(roundHalfEven(-lo / scale), 0, maxq);
  return { scale, zero };
}

/** The code of x on a grid: clamp(round(x/scale) + zero, minq, maxq). */
export function quantizeToCode(x: number, scale: number, zero: number, maxq: number, minq = 0): number {
  const q = roundHalfEven(x / scale) + zero;
  return q < minq ? minq : q > maxq ? maxq : q;
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

/** A grid written out for compression.json: formulas a reader can check against the codes. */
export interface GridDescription {
  readonly kind: GridKind;
  readonly bits: number;
  /** Codes used: [min, max]. */
  readonly codes: readonly [number, number];
  readonly scale: string;
  readonly zeroPoint: string;
}

/** The formulas of a grid at a bit width (a = max |w| of the group, min/max widened to include 0). */
export function describeGrid(kind: GridKind, bits: number): GridDescription {
  const maxq = maxCode(bits);
  const mid = (maxq + 1) / 2;
  switch (kind) {
    case 'asymmetric':
      return { kind, bits, codes: [0, maxq], scale: `(max - min)/${maxq}`, zeroPoint: 'round(-min/scale)' };
    case 'symmetric-full':
      return { kind, bits, codes: [0, maxq], scale: `2a/${maxq}`, zeroPoint: `${mid}` };
    case 'symmetric-narrow':
      return { kind, bits, codes: [1, maxq], scale: `a/${mid - 1}`, zeroPoint: `${mid}` };
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
