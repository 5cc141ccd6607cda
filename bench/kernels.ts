/**
 * Kernel throughput on one transformer-sized layer: rtn, nf4, gptq (block 128, group 128)
 * and awq (group 128) on W (K,N) = 4096×4096 with 512 calibration tokens; prints seconds
 * and MB of fp32 weights processed per second. Single-threaded, one run each.
 *
 *   node dist/bench/kernels.js [size] [tokens]
 */
import { createRng, randomNormalArray } from '../core/rng.js';
import { quantizeAwq } from '../kernels/awq.js';
import { quantizeGptq } from '../kernels/gptq.js';
import { quantizeNf4 } from '../kernels/nf4.js';
import { quantizeRtn } from '../kernels/rtn.js';

const size = Number(process.argv[2] ?? 4096);
const tokens = Number(process.argv[3] ?? 512);
const K = size;
const N = size;
const rng = createRng(2024);
const W = randomNormalArray(rng, K * N, 0.02);
// Correlated calibration features with a few outlier channels, like LLM activations.
const X = new Float32Array(tokens * K);
const latent = new Float32Array(64);
for (let t = 0; t < tokens; t++) {
  for (let f = 0; f < 64; f++) latent[f] = rng.normal();
  for (let k = 0; k < K; k++) X[t * K + k] = (latent[k % 64] + 0.5 * rng.normal()) * (k % 512 === 7 ? 20 : 1);
}
const weightMB = (K * N * 4) / 1e6;
const group = K % 128 === 0 ? 128 : 'channel';

function time(name: string, run: () => { stats: { relFrobeniusError: number; outputError?: number } }): void {
  const t0 = performance.now();
  const r = run();
  const seconds = (performance.now() - t0) / 1000;
  const out = r.stats.outputError === undefined ? '' : `  outputError ${r.stats.outputError.toExponential(3)}`;
  console.log(`${name.padEnd(28)} ${seconds.toFixed(2).padStart(8)} s  ${(weightMB / seconds).toFixed(2).padStart(9)} MB/s  relFrob ${r.stats.relFrobeniusError.toExponential(3)}${out}`);
}

console.log(`W ${K}×${N} fp32 (${weightMB.toFixed(1)} MB), X ${tokens}×${K}, group ${group}, node ${process.version}`);
time('rtn 4-bit asym', () => quantizeRtn(W, K, N, { bits: 4, granularity: group }));
time('nf4 block 64', () => quantizeNf4(W, K, N));
time('gptq 4-bit block 128', () => quantizeGptq(W, K, N, X, { bits: 4, group, blockSize: 128 }));
time('awq 4-bit (20-point grid)', () => quantizeAwq(W, K, N, X, { bits: 4, group }));
