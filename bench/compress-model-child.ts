/**
 * Child process of the end-to-end compression benchmark: compresses one model folder with
 * one method (compressModel alone: no self-check) and prints one JSON line with the
 * record's timings, the wall time and this process's peak resident set (VmHWM).
 *
 *   node dist/bench/compress-model-child.js MODEL_DIR OUT_DIR METHOD BITS GROUP [WORKERS]
 */
import { readPeakRssBytes } from '../runners/measure/peak-rss.js';
import { compressModel } from '../runners/compress/variants.js';

const [modelDir, outDir, method, bits, group, workers] = process.argv.slice(2);
const t0 = performance.now();
const { record } = await compressModel(modelDir, { method: method as 'rtn' | 'gptq' | 'awq', params: { bits: Number(bits), group: Number(group) } }, outDir, {
  progress: (line) => process.stderr.write(`${line}\n`),
  ...(workers ? { workers: Number(workers) } : {}),
});
console.log(JSON.stringify({
  method, compressWorkers: record.compressWorkers, wallS: (performance.now() - t0) / 1000, timingsMs: record.timingsMs, sizeBytes: record.sizeBytes, baseSizeBytes: record.baseSizeBytes, peakRssBytes: readPeakRssBytes(),
}));
