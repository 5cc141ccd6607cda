/**
 * Child process of the decode benchmark: loads one ONNX file with onnxruntime-node
 * (1 intra-op thread), runs up to CALLS batch-1 calls of input x (1, hidden) and prints one JSON
 * line: the calls timed, median and best per-call latency and this process's peak RSS (VmHWM).
 *
 *   node dist/bench/decode-child.js MODEL.onnx HIDDEN CALLS
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [file, hiddenArg, callsArg] = process.argv.slice(2);
const hidden = Number(hiddenArg);
const calls = Number(callsArg);
const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
const x = new Float32Array(hidden);
for (let i = 0; i < hidden; i++) x[i] = Math.sin(i);
const feeds = { x: new ort.Tensor('float32', x, [1, hidden]) };
let warmMs = Infinity;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  await session.run(feeds);
  warmMs = Math.min(warmMs, performance.now() - t0);
}
// slow formats get fewer calls (about 5 s each, at least 5) so the whole bench stays bounded
const timedCalls = Math.max(5, Math.min(calls, Math.floor(5000 / warmMs)));
const latenciesMs: number[] = [];
for (let i = 0; i < timedCalls; i++) {
  const t0 = performance.now();
  await session.run(feeds);
  latenciesMs.push(performance.now() - t0);
}
latenciesMs.sort((a, b) => a - b);
const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(JSON.stringify({ calls: timedCalls, medianMs: latenciesMs[Math.floor(timedCalls / 2)], bestMs: latenciesMs[0], peakRssBytes: hwm ? Number(hwm[1]) * 1024 : null }));
await session.release();
