/**
 * The batch-1 decode roofline's denominator: this machine's copy bandwidth, from
 * `Float64Array.prototype.set` of a 256 MB array (best of a few runs; bytes read + written).
 */

/** Copy bandwidth in GB/s (1e9 bytes), counting read and write traffic. */
export function copyBandwidthGBPerS(sizeBytes = 256 * 1024 * 1024, repeats = 5): { readWriteGBPerS: number; copyGBPerS: number } {
  const src = new Float64Array(sizeBytes / 8);
  for (let i = 0; i < src.length; i += 512) src[i] = i;
  const dst = new Float64Array(src.length);
  dst.set(src); // fault the pages in before timing
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    dst.set(src);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const copyGBPerS = sizeBytes / best / 1e9;
  return { readWriteGBPerS: 2 * copyGBPerS, copyGBPerS };
}
