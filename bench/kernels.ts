/**
 * Kernel throughput on one transformer-sized layer: rtn, nf4, then gptq (block 128, group
 * 128), awq (group 128) and wanda (50%) on W (K,N) = 4096×4096 with 512 calibration tokens,
 * each as the scalar reference kernel and as the fast path on the onnxruntime GEMM engine,
 * alternately in this process. First the engine's GEMM peak (float32 and float64). Prints
 * seconds, MB of fp32 weights per second, achieved GFLOP/s (nominal work, kernel-flops.ts)
 * and the ratio to the float32 GEMM peak, with CPU seconds next to wall seconds (on a shared
 * machine the wall time grows with the load). Then each fast path once more with its phase
 * clocks: where the time goes. One thread.
 *
 *   node dist/bench/kernels.js [size] [tokens] [fastRepeats]
 *
 * The fast path runs `fastRepeats` times (median); the reference once (minutes each).
 */
import { loadavg } from 'node:os';
import { createRng, randomNormalArray } from '../core/rng.js';
import { pruneWanda, quantizeAwq, quantizeGptq, quantizeNf4, quantizeRtn } from '../kernels/index.js';
import { calibratedKernels } from '../runners/compress/fast/kernel-set.js';
import { GemmEngine } from '../runners/compress/fast/gemm-engine.js';
import { quantizeAwqFast } from '../runners/compress/fast/fast-awq.js';
import { quantizeGptqFast } from '../runners/compress/fast/fast-gptq.js';
import { pruneWandaFast } from '../runners/compress/fast/fast-wanda.js';
import type { PhaseTimes } from '../runners/compress/fast/phase-clock.js';
import { awqFlops, gptqFlops, wandaFlops } from './kernel-flops.js';

const size = Number(process.argv[2] ?? 4096);
const tokens = Number(process.argv[3] ?? 512);
const fastRepeats = Number(process.argv[4] ?? 3);
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

type Stats = { stats: { relFrobeniusError: number; outputError?: number } };

/** Median wall and CPU seconds of `repeats` runs (CPU: the process's, every thread). */
async function seconds(run: () => Stats | Promise<Stats>, repeats: number): Promise<{ s: number; cpu: number; r: Stats }> {
  const times: number[] = [];
  const cpus: number[] = [];
  let r: Stats | undefined;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    r = await run();
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1e6);
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
  return { s: median(times), cpu: median(cpus), r: r! };
}

function line(name: string, s: number, r: Stats, flops?: number, cpu?: number): void {
  const out = r.stats.outputError === undefined ? '' : `  outputError ${r.stats.outputError.toExponential(3)}`;
  const gf = flops === undefined ? '' : `  ${(flops / s / 1e9).toFixed(2).padStart(7)} GFLOP/s  ${(flops / s / 1e9 / peak32).toFixed(3)} of peak`;
  const cpuText = cpu === undefined ? '' : `  CPU ${cpu.toFixed(2)} s`;
  console.log(`${name.padEnd(34)} ${s.toFixed(2).padStart(8)} s  ${(weightMB / s).toFixed(2).padStart(9)} MB/s${gf}${cpuText}  relFrob ${r.stats.relFrobeniusError.toExponential(3)}${out}`);
}

/** Median GFLOP/s of one product shape on the engine (after a warm-up run), per wall and per CPU second. */
async function peak(product: (e: GemmEngine) => Promise<unknown>, flops: number): Promise<{ wall: number; cpu: number }> {
  const engine = GemmEngine.create(1);
  await product(engine);
  const times: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await product(engine);
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1e6);
  }
  await engine.release();
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  return { wall: flops / times[2] / 1e9, cpu: flops / cpus[2] / 1e9 };
}

// other processes on a shared machine slow every figure: the header says how busy it was
console.log(`W ${K}×${N} fp32 (${weightMB.toFixed(1)} MB), X ${tokens}×${K}, group ${group}, node ${process.version}, 1 thread, load average ${loadavg()[0].toFixed(1)} at start`);
const W64 = Float64Array.from(W.subarray(0, 1024 * 1024));
const peaks32 = await peak((e) => e.matmul(X, tokens, K, W, N), 2 * tokens * K * N);
const peaks64 = await peak((e) => e.matmul64(W64, 1024, 1024, W64, 1024), 2 * 1024 ** 3);
const peak32 = peaks32.wall;
console.log(`GEMM peak: float32 ${peak32.toFixed(1)} GFLOP/s (MatMul ${tokens}×${K}×${N}), float64 ${peaks64.wall.toFixed(1)} GFLOP/s (MatMul 1024³), median of 5; per CPU second ${peaks32.cpu.toFixed(1)} and ${peaks64.cpu.toFixed(1)}`);
const rtn = await seconds(() => quantizeRtn(W, K, N, { bits: 4, granularity: group }), 1);
line('rtn 4-bit asym', rtn.s, rtn.r, undefined, rtn.cpu);
const nf4 = await seconds(() => quantizeNf4(W, K, N), 1);
line('nf4 block 64', nf4.s, nf4.r, undefined, nf4.cpu);

const fast = calibratedKernels('fast', 1);
const gptqOptions = { bits: 4, group, blockSize: 128 } as const;
const awqOptions = { bits: 4, group } as const;
const cases: [string, number, () => Stats, () => Promise<Stats>][] = [
  ['gptq 4-bit block 128', gptqFlops(K, N, tokens), () => quantizeGptq(W, K, N, X, gptqOptions), () => fast.gptq(W, K, N, X, gptqOptions)],
  ['awq 4-bit (20-point grid)', awqFlops(K, N, tokens, 20, Math.min(tokens, 256), Math.min(N, 1024)), () => quantizeAwq(W, K, N, X, awqOptions), () => fast.awq(W, K, N, X, awqOptions)],
  ['wanda 50%', wandaFlops(K, N, tokens), () => pruneWanda(W, K, N, X, 0.5), () => fast.wanda(W, K, N, X, 0.5)],
];
for (const [name, flops, reference, fastRun] of cases) {
  const ref = await seconds(reference, 1);
  line(`${name} [reference]`, ref.s, ref.r, flops, ref.cpu);
  const f = await seconds(fastRun, fastRepeats);
  line(`${name} [fast]`, f.s, f.r, flops, f.cpu);
  console.log(`${name}: fast ${(ref.s / f.s).toFixed(1)}× the reference (CPU time ${(ref.cpu / f.cpu).toFixed(1)}×); GEMM floor at the float32 peak ${(flops / peak32 / 1e9).toFixed(2)} s (per CPU second ${(flops / peaks32.cpu / 1e9).toFixed(2)} s)`);
}
await fast.release();
// Where the fast paths' time goes: one more run each, phases charged as they end, in wall
// and CPU seconds (under load the wall time grows, the CPU time much less). Nominal work of
// the product phases (kernel-flops.ts's terms) against the peak of their precision.
const engine = GemmEngine.create(1);
const phaseRuns: [string, Record<string, [number, 'float32' | 'float64']>, (p: PhaseTimes) => Promise<unknown>][] = [
  // hessian: the upper triangle's row panels of 512 (calibration-products.ts), T·K·(K + 512)
  ['gptq', { hessian: [tokens * K * (K + 512), 'float64'], cholesky: [K ** 3 / 3, 'float64'], 'tile starts': [K * K * N, 'float32'], 'output error': [4 * tokens * K * N, 'float32'] },
    (p) => quantizeGptqFast(engine, W, K, N, X, gptqOptions, p)],
  ['awq', { 'candidate products': [awqFlops(K, N, tokens, 20, Math.min(tokens, 256), Math.min(N, 1024)) - 4 * tokens * K * N, 'float32'], 'output error': [4 * tokens * K * N, 'float32'] },
    (p) => quantizeAwqFast(engine, W, K, N, X, awqOptions, p)],
  ['wanda', { 'output error': [4 * tokens * K * N, 'float32'] }, (p) => pruneWandaFast(engine, W, K, N, X, 0.5, p)],
];
for (const [name, flops, run] of phaseRuns) {
  const phases: PhaseTimes = new Map();
  await run(phases);
  const phaseLine = ([p, t]: [string, { wallMs: number; cpuMs: number }]): string => {
    const f = flops[p];
    const perCpu = f === undefined ? 0 : f[0] / (t.cpuMs / 1000) / 1e9;
    const rate = f === undefined ? '' : ` (${perCpu.toFixed(1)} GFLOP/s, ${(perCpu / (f[1] === 'float64' ? peaks64 : peaks32).cpu).toFixed(2)} of the ${f[1]} peak, per CPU second)`;
    return `${p} ${(t.wallMs / 1000).toFixed(2)} / ${(t.cpuMs / 1000).toFixed(2)} s${rate}`;
  };
  const total = [...phases.values()].reduce((a, t) => ({ wallMs: a.wallMs + t.wallMs, cpuMs: a.cpuMs + t.cpuMs }), { wallMs: 0, cpuMs: 0 });
  console.log(`${name} fast phases, wall / CPU seconds (total ${(total.wallMs / 1000).toFixed(2)} / ${(total.cpuMs / 1000).toFixed(2)} s): ${[...phases].map(phaseLine).join('; ')}`);
}
await engine.release();
console.log(`load average ${loadavg()[0].toFixed(1)} at the end`);
