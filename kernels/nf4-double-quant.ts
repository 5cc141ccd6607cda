/**
 * QLoRA's double quantization of the NF4 absmax scales: subtract their mean, then
 * quantize blockwise (blocks of 256) to 8 bits with bitsandbytes' signed "dynamic" map
 * (bitsandbytes/functional.py `quantize_4bit(compress_statistics=True)`, which calls
 * `quantize_blockwise(absmax - mean, blocksize=256)` with `create_dynamic_map()`).
 */

/** The state of a double-quantized absmax vector. */
export interface DoubleQuantizedAbsmax {
  /** Mean subtracted before quantizing. */
  readonly offset: number;
  /** 8-bit indices into {@link DYNAMIC_MAP_8BIT}, one per absmax value. */
  readonly codes: Uint8Array;
  /** Second-level absmax per block of 256 (float32). */
  readonly absmax2: Float32Array;
  /** Block size of the second level (256). */
  readonly blockSize: number;
  /** The reconstructed absmax: DYNAMIC_MAP[code]·absmax2 + offset. */
  readonly dequantized: Float32Array;
}

/**
 * bitsandbytes `create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8)`:
 * for exponent i = 0..6, the midpoints of linspace(0.1, 1, 2^i + 1) scaled by 10^(i−6),
 * both signs, plus 0 and 1; 256 values sorted ascending (float32).
 */
export const DYNAMIC_MAP_8BIT: Float32Array = buildDynamicMap();

function buildDynamicMap(): Float32Array {
  const data: number[] = [];
  for (let i = 0; i < 7; i++) {
    const items = 2 ** i + 1;
    const bounds = Array.from({ length: items }, (_, j) => Math.fround(0.1 + (0.9 * j) / (items - 1)));
    for (let j = 0; j + 1 < items; j++) {
      const mean = Math.fround((bounds[j] + bounds[j + 1]) / 2);
      const v = Math.fround(10 ** (i - 6) * mean);
      data.push(v, -v);
    }
  }
  data.push(0, 1);
  data.sort((a, b) => a - b);
  return Float32Array.from(data);
}

/** Index of the map value nearest to x (binary search over the sorted map). */
function nearestInMap(x: number): number {
  const map = DYNAMIC_MAP_8BIT;
  let lo = 0;
  let hi = map.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (map[mid] <= x) lo = mid;
    else hi = mid;
  }
  return Math.abs(x - map[lo]) <= Math.abs(map[hi] - x) ? lo : hi;
}

/**
 * Double-quantizes a vector of absmax scales.
 * // absmax (B,) -> codes (B,), absmax2 (ceil(B/256),)
 */
export function doubleQuantizeAbsmax(absmax: Float32Array, blockSize = 256): DoubleQuantizedAbsmax {
  let sum = 0;
  for (let i = 0; i < absmax.length; i++) sum += absmax[i];
  const offset = Math.fround(sum / absmax.length);
  const nBlocks = Math.ceil(absmax.length / blockSize);
  const absmax2 = new Float32Array(nBlocks);
  const codes = new Uint8Array(absmax.length);
  const dequantized = new Float32Array(absmax.length);
  for (let b = 0; b < nBlocks; b++) {
    const end = Math.min(absmax.length, (b + 1) * blockSize);
    let m = 0;
    for (let i = b * blockSize; i < end; i++) m = Math.max(m, Math.abs(absmax[i] - offset));
    absmax2[b] = m;
    for (let i = b * blockSize; i < end; i++) {
      codes[i] = nearestInMap(m === 0 ? 0 : (absmax[i] - offset) / m);
      dequantized[i] = Math.fround(DYNAMIC_MAP_8BIT[codes[i]] * m + offset);
    }
  }
  return { offset, codes, absmax2, blockSize, dequantized };
}
