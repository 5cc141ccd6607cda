/**
 * Child process of the end-to-end compression benchmark: compresses one model folder with
 * one method (compressModel alone: no self-check) and prints one JSON line with the
 * record's timings, the wall time, this process's peak resident set (VmHWM) and the peak
 * of each phase (open → calibration → kernels → write; VmHWM is reset as each begins),
 * and the CPU seconds of all its threads.
 *
 *   node dist/bench/compress-model-child.js MODEL_DIR OUT_DIR METHOD BITS GROUP [WORKERS] [hold]
 *
 * `hold`: read the whole model into memory first (compressModel's holdModel: the path
 * before streaming, same bytes) to compare the memory of both.
 */
import { readPeakRssBytes, resetPeakRss } from '../runners/measure/peak-rss.js';
import { compressModel } from '../runners/compress/variants.js';

const [modelDir, outDir, method, bits, group, workers, hold] = process.argv.slice(2);
const t0 = performance.now();
// Peak RSS per phase, in the order the phases ran; `open` is everything before calibration.
const phasePeakRssBytes: Record<string, number> = {};
let current = 'open';
let peak = 0;
const endPhase = (next: string): void => {
  const p = readPeakRssBytes();
  phasePeakRssBytes[current] = p;
  peak = Math.max(peak, p);
  current = next;
  resetPeakRss();
};
const { record } = await compressModel(modelDir, { method: method as 'rtn' | 'gptq' | 'awq', params: { bits: Number(bits), group: Number(group) } }, outDir, {
  progress: (line) => process.stderr.write(`${line}\n`),
  phase: endPhase,
  ...(workers ? { workers: Number(workers) } : {}),
  holdModel: hold === 'hold',
});
endPhase('done');
console.log(JSON.stringify({
  method, compressWorkers: record.compressWorkers, wallS: (performance.now() - t0) / 1000, timingsMs: record.timingsMs, sizeBytes: record.sizeBytes, baseSizeBytes: record.baseSizeBytes,
  peakRssBytes: peak, phasePeakRssBytes,
  // CPU seconds of every thread (user + system): on a machine other jobs share, wall time alone misleads.
  cpuS: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
}));
