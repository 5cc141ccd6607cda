/**
 * The benchmark's outputs: `bench/results.json` (every figure plus the machine) and
 * `bench/results.md` (the same as Markdown tables).
 */
import { compressE2eSection, type CompressE2e } from './compress-e2e.js';
import { compressWorkersSection, type CompressWorkers } from './compress-workers.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HardwareFingerprint } from '../core/run-record.js';
import type { HarnessResult } from './harness.js';
import type { ParallelCeiling } from './parallel-ceiling.js';
import type { KernelResult } from './kernel-speed.js';
import type { DecodeResult } from './decode.js';
import type { LlamaShape } from '../runners/synth/llama-shape.js';
import type { ScorerResult } from './scoring.js';
import type { ScoringCases } from './scoring-cases.js';
import { scoringCasesSection } from './scoring-cases-report.js';

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  readonly startedAt: string;
  readonly durationS: number;
  readonly quick: boolean;
  /** `--only decode|kernels`: the other items were not run. */
  readonly only?: 'decode' | 'kernels' | 'compress' | 'compress-e2e' | 'scoring-cases' | 'matrix';
  readonly hardware: HardwareFingerprint;
  /** os.loadavg() (1, 5, 15 min) at the start, when the decode item began, and at the end: other processes share the machine. */
  readonly loadAverage?: { readonly start: readonly number[]; readonly decodeStart: readonly number[]; readonly end: readonly number[] };
  readonly scoring?: { readonly model: string; readonly requestSet: string; readonly results: readonly ScorerResult[]; readonly speedupVsTransformers: number; readonly target: number };
  readonly harness?: { readonly matrix: HarnessResult; readonly inProcess: HarnessResult; readonly fractionOfInProcess: number; readonly fractionOfOrtFloor: number; readonly oneCell: { readonly matrix: HarnessResult; readonly inProcess: HarnessResult; readonly fractionOfInProcess: number }; readonly target: number };
  readonly scaling?: { readonly results: readonly HarnessResult[]; readonly twoWorkersSpeedup: number; readonly twoThreadsSpeedup: number; readonly target: number; readonly ceiling?: ParallelCeiling };
  readonly memoryBandwidth?: { readonly copyGBPerS: number; readonly readWriteGBPerS: number };
  readonly decode?: { readonly model: string; readonly shape: LlamaShape; readonly intraOpNumThreads: number; readonly results: readonly DecodeResult[] };
  readonly kernels?: { readonly header: string; readonly notes?: readonly string[]; readonly results: readonly KernelResult[] };
  /** End-to-end compression of a synth model (compress-e2e.ts). */
  readonly compressE2e?: CompressE2e;
  /** Zero-shot, 5-shot, long-context and real-vocabulary scoring (scoring-cases.ts). */
  readonly scoringCases?: ScoringCases;
  readonly compressWorkers?: CompressWorkers;
  readonly notReached: readonly string[];
}

const f = (x: number, digits = 2): string => x.toFixed(digits);

function harnessRows(rows: readonly HarnessResult[]): string[] {
  return rows.map((r) => `| ${r.name} | ${r.suites.join(', ')} | ${r.workers} × ${r.intraOpNumThreads} | ${r.instances} | ${f(r.durationS)} | ${f(r.instancesPerS, 1)} |`);
}

/** Markdown for `results`. */
export function resultsMarkdown(r: BenchResults): string {
  const load = r.loadAverage ? ` Load average (1/5/15 min) at the start ${r.loadAverage.start.map((x) => f(x)).join('/')}, at the decode item ${r.loadAverage.decodeStart.map((x) => f(x)).join('/')}, at the end ${r.loadAverage.end.map((x) => f(x)).join('/')} (${r.hardware.logicalCores} cores; the benchmark itself accounts for about 1, so a figure well above 1 means other processes were competing for the cores).` : '';
  const lines = [`# compbench benchmark`, '', `${r.startedAt}, ${f(r.durationS, 0)} s${r.quick ? ' (--quick)' : ''}${r.only ? ` (--only ${r.only})` : ''}. ${r.hardware.cpuModel}, ${r.hardware.logicalCores} logical cores, ${(r.hardware.memoryBytes / 2 ** 30).toFixed(1)} GiB, node ${r.hardware.node}, onnxruntime ${r.hardware.onnxruntime}.${load}`, ''];
  if (r.scoring) {
    const s = r.scoring;
    lines.push('## Loglikelihood scoring (1 intra-op thread)', '', `${s.model}, ${s.requestSet}. compbench default path vs transformers.js: **${f(s.speedupVsTransformers)}×** (target ≥ ${s.target}×).`, '', '| scorer | requests | s | requests/s | max abs logprob diff vs compbench |', '|---|---:|---:|---:|---:|');
    for (const x of s.results) lines.push(`| ${x.name} | ${x.requests} | ${f(x.durationS)} | ${f(x.requestsPerS, 1)} | ${x.maxAbsLogprobDiff.toExponential(1)} |`);
    lines.push('');
  }
  if (r.scoringCases) lines.push(...scoringCasesSection(r.scoringCases));
  const head = ['| run | suites | workers × threads | instances | s | instances/s |', '|---|---|---|---:|---:|---:|'];
  if (r.harness) {
    lines.push('## Harness overhead', '', `runMatrix (workers, shards, caches, run record; load included) reaches **${f(100 * r.harness.fractionOfInProcess, 0)}%** of the in-process adapter loop (target ≥ ${100 * r.harness.target}%); on the single cell ${r.harness.oneCell.matrix.suites.join(', ')}, where fixed costs dominate: ${f(100 * r.harness.oneCell.fractionOfInProcess, 0)}%. ` +
      `Raw onnxruntime floor: the in-process run spent ${f(r.harness.inProcess.ortRun?.seconds ?? 0)} s inside session.run() (${r.harness.inProcess.ortRun?.calls ?? 0} calls), so a raw loop doing the same forwards takes at least that; runMatrix's wall time is ${f(100 * r.harness.fractionOfOrtFloor, 0)}% efficient against it (floor s / matrix s).`, '', ...head, ...harnessRows([r.harness.inProcess, r.harness.matrix, r.harness.oneCell.inProcess, r.harness.oneCell.matrix]), '');
  }
  if (r.scaling) {
    lines.push('## Worker scaling', '', `2 workers × 1 thread: **${f(r.scaling.twoWorkersSpeedup)}×** of 1 × 1 (target ≥ ${r.scaling.target}×); 1 worker × 2 threads: ${f(r.scaling.twoThreadsSpeedup)}×.` +
      (r.scaling.ceiling ? ` Hardware ceiling on this workload: the bare in-process loop over the same suites alone in one process took ${f(r.scaling.ceiling.aloneS)} s, two copies at once in two processes ${f(r.scaling.ceiling.togetherS)} s, so two cores give at most **${f(r.scaling.ceiling.speedup)}×** here; the matrix reaches ${f((100 * r.scaling.twoWorkersSpeedup) / r.scaling.ceiling.speedup, 0)}% of that.` : ''), '', ...head, ...harnessRows(r.scaling.results), '');
  }
  if (r.memoryBandwidth) lines.push('## Memory bandwidth', '', `Float64Array.set of 256 MiB: ${f(r.memoryBandwidth.copyGBPerS)} GB/s copied (${f(r.memoryBandwidth.readWriteGBPerS)} GB/s read + write).`, '');
  if (r.decode) lines.push(...decodeSection(r.decode, r.hardware.onnxruntime));
  if (r.kernels) {
    lines.push('## Quantization kernels', '', r.kernels.header, '', ...(r.kernels.notes ?? []).map((n) => `- ${n}`), '');
    lines.push('| kernel | s | CPU s | MB of fp32 weights/s | GFLOP/s | of GEMM peak |', '|---|---:|---:|---:|---:|---:|');
    for (const k of r.kernels.results) {
      lines.push(`| ${k.name} | ${f(k.durationS)} | ${k.cpuS === undefined ? '' : f(k.cpuS)} | ${f(k.weightMBPerS)} | ${k.gflopPerS === undefined ? '' : f(k.gflopPerS)} | ${k.fractionOfPeak === undefined ? '' : f(k.fractionOfPeak, 3)} |`);
    }
    lines.push('');
  }
  if (r.compressE2e) lines.push(...compressE2eSection(r.compressE2e));
  if (r.compressWorkers) lines.push(...compressWorkersSection(r.compressWorkers));
  if (r.notReached.length > 0) lines.push('## Not measured', '', ...r.notReached.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

function decodeSection(d: NonNullable<BenchResults['decode']>, onnxruntime: string): string[] {
  const llama = d.results.filter((x) => x.runtime === 'llama.cpp');
  const lines = [
    '## Batch-1 decode with the KV cache (roofline)', '',
    `${d.model}; hidden ${d.shape.hidden}, ${d.shape.layers} layers, intermediate ${d.shape.intermediate}, ${d.shape.heads} heads (${d.shape.kvHeads} KV), vocab ${d.shape.vocab}; ${d.intraOpNumThreads} intra-op thread, one child process per format. Each child prefills a prompt, then decodes greedily feeding back the present keys/values; ms/token is the median of the timed steps, peak RSS the child's VmHWM. Roofline: weight bytes read per token (all weights but the embedding table) × tokens/s over the copy bandwidth above; a copy reads and writes every byte, so a pure read stream can pass 100%.`, '',
  ];
  if (llama.length > 0) {
    const fallbacks = llama.flatMap((x) => [...(x.gguf?.fallbacks ?? []), ...(x.gguf?.shapeLimited ?? [])].map((t) => `${x.format} ${t}`));
    lines.push(
      `llama.cpp rows: the same fp32 weights exported to an F32 GGUF (runners/import/onnx-to-gguf.ts), quantized by llama.cpp's own quantizer (1 thread; its per-tensor rules, so token_embd and output get the types it picks, e.g. Q6_K output in the K-quants, while the ONNX rows quantize lm_head like the layers), run by ${llama[0].library} (node-llama-cpp, CPU, 1 thread, model mmapped, the same prompt ids, same step count and budget). Prefill there is timed after one untimed pass; each step is llama.cpp's own greedy sampler. Read per token: the GGUF's tensor bytes less token_embd plus one row of it. ` +
        `CPU seconds over wall seconds of the timed steps, per type (1 = one busy thread): ${llama.map((x) => `${x.format} ${f(x.cpuPerWall ?? NaN)}`).join(', ')}. ` +
        `llama.cpp fallbacks and shape-limited tensors (rows that did not fit the type's block): ${fallbacks.length === 0 ? 'none' : fallbacks.join('; ')}.`,
      '',
    );
  }
  lines.push(
    '| runtime | format | weights MB | file MB | read/token MB | prefill ms (tokens) | ms/token | best ms | steps | tokens/s | weight GB/s | of copy bandwidth | peak RSS MB | first tokens |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const x of d.results) {
    const runtime = x.runtime === 'llama.cpp' ? 'llama.cpp' : `onnxruntime ${onnxruntime}`;
    lines.push(`| ${runtime} | ${x.format} | ${f(x.weightBytes / 1e6, 0)} | ${f(x.fileBytes / 1e6, 0)} | ${f(x.weightBytesPerToken / 1e6, 0)} | ${f(x.prefillMs, 0)} (${x.promptTokens}) | ${f(x.medianMs, 1)} | ${f(x.bestMs, 1)} | ${x.steps} | ${f(x.tokensPerS, 2)} | ${f(x.weightGBPerS)} | ${f(100 * x.fractionOfCopyBandwidth, 0)}% | ${x.peakRssBytes === null ? 'n/a' : f(x.peakRssBytes / 1e6, 0)} | ${x.firstTokens.join(' ')} |`);
  }
  lines.push('');
  return lines;
}

/** Writes `results.json` and `results.md` into the given files. */
export function writeResults(r: BenchResults, jsonFile: string, mdFile: string): void {
  for (const f of [jsonFile, mdFile]) mkdirSync(dirname(f), { recursive: true }); // --out may name a folder not made yet
  writeFileSync(jsonFile, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(mdFile, `${resultsMarkdown(r)}\n`);
}
