/**
 * The k-th smallest of non-negative doubles by their bits: for x ≥ 0 the IEEE-754 pattern,
 * read as an unsigned integer, orders like the value, so two counting passes over the top
 * 12 + 12 bits of the high word narrow the rank to one bucket of values that share their
 * top 24 bits, and a quickselect finishes inside it. Counting has no data-dependent
 * branches; quickselect on random scores mispredicts every other comparison (Wanda runs one
 * selection per output column).
 */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** Per-call buffers, reused across columns. */
export interface RadixScratch {
  readonly top: Int32Array;
  readonly next: Int32Array;
  candidates: Float64Array;
}

/** Buffers for selections on arrays of up to `n` values. */
export function radixScratch(n: number): RadixScratch {
  return { top: new Int32Array(4096), next: new Int32Array(4096), candidates: new Float64Array(n) };
}

/**
 * The value at index k of the ascending order of v (NaN-free); = kthSmallest(v.slice(), k).
 * Leaves v unchanged. Negative values (−0 included) take the quickselect path.
 */
export function kthSmallestNonNegative(v: Float64Array, k: number, scratch: RadixScratch): number {
  const n = v.length;
  if (!LITTLE_ENDIAN || v.byteOffset % 4 !== 0) return kthSmallest(v.slice(), k);
  const words = new Uint32Array(v.buffer, v.byteOffset, 2 * n); // high word of v[i] at 2i + 1
  const { top, next } = scratch;
  top.fill(0);
  for (let i = 0; i < n; i++) top[words[2 * i + 1] >>> 20]++;
  for (let b = 2048; b < 4096; b++) if (top[b] > 0) return kthSmallest(v.slice(), k); // sign bit set
  let below = 0;
  let b1 = 0;
  while (below + top[b1] <= k) below += top[b1++];
  next.fill(0);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1];
    if (h >>> 20 === b1) next[(h >>> 8) & 0xfff]++;
  }
  let b2 = 0;
  while (below + next[b2] <= k) below += next[b2++];
  const key = (b1 << 12) | b2; // the top 24 bits of the answer's high word
  if (scratch.candidates.length < n) scratch.candidates = new Float64Array(n);
  const c = scratch.candidates;
  let m = 0;
  for (let i = 0; i < n; i++) if (words[2 * i + 1] >>> 8 === key) c[m++] = v[i];
  return kthSmallest(c.subarray(0, m), k - below);
}

/**
 * The value at index k of the ascending order of v (NaN-free), by quickselect with a
 * median-of-three pivot; reorders v.
 */
export function kthSmallest(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const a = v[lo];
    const b = v[mid];
    const c = v[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return v[k];
  }
  return v[k];
}
