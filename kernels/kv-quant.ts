/**
 * KV-cache quantization, simulated: keys/values quantized then dequantized back to fp32 in
 * place. Layout of every tensor: (batch, heads, seq, headDim), row-major; functions act on
 * the tokens `[from, to)` of every (batch, head) row, so a cache can be quantized as tokens
 * arrive. Forms:
 * - `q8_0`, `q4_0`: llama.cpp's block formats (ggml-quants.c quantize_row_q8_0_ref /
 *   quantize_row_q4_0_ref), blocks of 32 along headDim, one fp16 scale per block; the
 *   arithmetic (float32 products, roundf, the (int8_t) cast of q4_0) is reproduced exactly.
 * - KIVI 2-bit (Liu et al. 2024): keys per channel over groups of G tokens, values per token
 *   over groups of G channels, asymmetric min/max with fp16 scale and zero point.
 */
import type { WeightErrorStats } from './types.js';
import { weightErrorStats } from './error-stats.js';

/** Shape of one KV tensor: (batch, heads, seq, headDim). */
export interface KvShape {
  readonly batch: number;
  readonly heads: number;
  readonly seq: number;
  readonly headDim: number;
}

/** Elements per llama.cpp q8_0/q4_0 block. */
export const GGML_BLOCK = 32;

const f32 = Math.fround;
const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/**
 * x rounded to the nearest IEEE half (ties to even, as ggml_compute_fp32_to_fp16), back
 * as a number; overflow gives ±Infinity, tiny values become half subnormals or zero.
 */
export function roundToFp16(x: number): number {
  scratch[0] = x;
  const bits = scratchBits[0];
  const sign = bits >>> 31 ? -1 : 1;
  const a = Math.abs(scratch[0]);
  if (!Number.isFinite(a)) return scratch[0];
  if (a >= 65520) return sign * Infinity;
  // half spacing: 2^(e-10) for normals (e >= -14), 2^-24 for subnormals
  let e = a === 0 ? -14 : Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const ulp = 2 ** (Math.max(e, -14) - 10);
  const q = a / ulp;
  const fl = Math.floor(q);
  const rem = q - fl;
  const n = rem > 0.5 || (rem === 0.5 && fl % 2 === 1) ? fl + 1 : fl;
  return sign * n * ulp;
}

/** C roundf: half away from zero (Math.round sends −2.5 to −2, roundf to −3). */
function roundf(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/**
 * One q8_0 block in place: d = amax/127, q = roundf(x·(1/d)), x̂ = q·fp16(d).
 * // x[off .. off+32)
 */
export function q8_0Block(x: Float32Array, off: number): void {
  let amax = 0;
  for (let j = 0; j < GGML_BLOCK; j++) amax = Math.max(amax, Math.abs(x[off + j]));
  const d = f32(amax / 127);
  const id = d ? f32(1 / d) : 0;
  const dh = roundToFp16(d);
  for (let j = 0; j < GGML_BLOCK; j++) x[off + j] = roundf(f32(x[off + j] * id)) * dh;
}

/**
 * One q4_0 block in place: d = (signed value of largest |x|)/−8, q = min(15, trunc(x·(1/d) + 8.5)),
 * x̂ = (q − 8)·fp16(d).
 * // x[off .. off+32)
 */
export function q4_0Block(x: Float32Array, off: number): void {
  let amax = 0;
  let max = 0;
  for (let j = 0; j < GGML_BLOCK; j++) {
    const v = x[off + j];
    if (amax < Math.abs(v)) {
      amax = Math.abs(v);
      max = v;
    }
  }
  const d = f32(max / -8);
  const id = d ? f32(1 / d) : 0;
  const dh = roundToFp16(d);
  for (let j = 0; j < GGML_BLOCK; j++) {
    const q = Math.min(15, Math.trunc(f32(f32(x[off + j] * id) + 8.5)));
    x[off + j] = (q - 8) * dh;
  }
}

/** ggml block formats of a KV cache. */
export type GgmlKvType = 'q8_0' | 'q4_0';

/**
 * Quantizes tokens `[from, to)` of `data` in place with a ggml block format (blocks of 32
 * along headDim; headDim must be a multiple of 32, as llama.cpp requires).
 */
export function quantizeGgmlTokens(data: Float32Array, shape: KvShape, from: number, to: number, type: GgmlKvType): void {
  checkRange(data, shape, from, to);
  if (shape.headDim % GGML_BLOCK !== 0) throw new RangeError(`${type}: headDim ${shape.headDim} is not a multiple of ${GGML_BLOCK}`);
  const block = type === 'q8_0' ? q8_0Block : q4_0Block;
  for (let r = 0; r < shape.batch * shape.heads; r++) {
    for (let t = from; t < to; t++) {
      const base = (r * shape.seq + t) * shape.headDim;
      for (let o = 0; o < shape.headDim; o += GGML_BLOCK) block(data, base + o);
    }
  }
}

/**
 * Asymmetric 2-bit min/max quantization of `n` elements at `off`, `stride` apart, in place:
 * scale = (max − min)/3 and zero = min, both stored fp16 (KIVI keeps them in half precision),
 * q = clamp(round((x − zero)/scale), 0, 3), x̂ = q·scale + zero.
 */
export function minMax2BitInPlace(x: Float32Array, off: number, n: number, stride: number): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[off + i * stride];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const zero = roundToFp16(lo);
  const scale = roundToFp16((hi - lo) / 3);
  for (let i = 0; i < n; i++) {
    const at = off + i * stride;
    const q = scale > 0 ? Math.min(3, Math.max(0, Math.round((x[at] - zero) / scale))) : 0;
    x[at] = q * scale + zero;
  }
}

/**
 * KIVI keys: tokens `[from, to)` in place, per channel over consecutive groups of `group`
 * tokens (a shorter last group when to − from is not a multiple).
 */
export function kiviKeysTokens(data: Float32Array, shape: KvShape, from: number, to: number, group: number): void {
  checkRange(data, shape, from, to);
  checkGroup(group);
  const { headDim } = shape;
  for (let r = 0; r < shape.batch * shape.heads; r++) {
    for (let t0 = from; t0 < to; t0 += group) {
      const n = Math.min(group, to - t0);
      const base = (r * shape.seq + t0) * headDim;
      // channel c over tokens t0..t0+n: elements base + c, base + c + headDim, …
      for (let c = 0; c < headDim; c++) minMax2BitInPlace(data, base + c, n, headDim);
    }
  }
}

/**
 * KIVI values: tokens `[from, to)` in place, each token per consecutive groups of `group`
 * channels (a shorter last group when headDim is not a multiple).
 */
export function kiviValuesTokens(data: Float32Array, shape: KvShape, from: number, to: number, group: number): void {
  checkRange(data, shape, from, to);
  checkGroup(group);
  const { headDim } = shape;
  for (let r = 0; r < shape.batch * shape.heads; r++) {
    for (let t = from; t < to; t++) {
      const base = (r * shape.seq + t) * headDim;
      for (let c = 0; c < headDim; c += group) minMax2BitInPlace(data, base + c, Math.min(group, headDim - c), 1);
    }
  }
}

/** KIVI parameters: group size G and fp32 residual window R (R a multiple of G, or 0). */
export interface KiviParams {
  readonly group: number;
  readonly residual: number;
}

/**
 * KIVI's schedule (its Algorithm 1) for a cache that holds `length` tokens: keys leave the
 * fp32 residual a whole window at a time (when it holds max(R, G) tokens), values one token
 * at a time once more than R follow them. Returns how many leading tokens are quantized.
 */
export function kiviQuantizedCounts(length: number, p: KiviParams): { keys: number; values: number } {
  const flush = Math.max(p.residual, p.group);
  return { keys: Math.floor(length / flush) * flush, values: Math.max(0, length - p.residual) };
}

/**
 * A whole (batch, heads, seq, headDim) key/value pair quantized KIVI-style into copies, with
 * the schedule of {@link kiviQuantizedCounts} for seq tokens; the fp32 residual stays exact.
 * Returns the copies and their error statistics.
 */
export function kiviQuantizeCopy(
  keys: Float32Array,
  values: Float32Array,
  shape: KvShape,
  p: KiviParams,
): { keys: Float32Array; values: Float32Array; keyError: WeightErrorStats; valueError: WeightErrorStats } {
  const k = keys.slice();
  const v = values.slice();
  const n = kiviQuantizedCounts(shape.seq, p);
  kiviKeysTokens(k, shape, 0, n.keys, p.group);
  kiviValuesTokens(v, shape, 0, n.values, p.group);
  return { keys: k, values: v, keyError: weightErrorStats(keys, k), valueError: weightErrorStats(values, v) };
}

/** A copy of a whole KV tensor in a ggml block format, with its error statistics. */
export function ggmlQuantizeCopy(data: Float32Array, shape: KvShape, type: GgmlKvType): { data: Float32Array; error: WeightErrorStats } {
  const out = data.slice();
  quantizeGgmlTokens(out, shape, 0, shape.seq, type);
  return { data: out, error: weightErrorStats(data, out) };
}

function checkRange(data: Float32Array, s: KvShape, from: number, to: number): void {
  if (data.length !== s.batch * s.heads * s.seq * s.headDim) throw new RangeError(`KV tensor has ${data.length} elements, shape needs ${s.batch}×${s.heads}×${s.seq}×${s.headDim}`);
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= s.seq)) throw new RangeError(`token range [${from}, ${to}) is outside 0..${s.seq}`);
}

function checkGroup(group: number): void {
  if (!Number.isInteger(group) || group < 1) throw new RangeError(`group must be a positive integer, got ${group}`);
}
