/**
 * Child process of the llama.cpp decode rows: opens one GGUF with the llama.cpp backend
 * (LlamaCppAdapter: CPU, THREADS threads, F32 KV cache, a CONTEXT-token context), then
 * runs the measure child's loop (runners/measure/llama-decode-benchmark.ts) on the same
 * PROMPT-token prompt as the ONNX child: one untimed prefill, one timed, one untimed
 * decode step, then up to STEPS timed greedy steps (fewer when they pass BUDGET_MS, at
 * least 3). Prints one JSON line.
 *
 *   node dist/bench/llama-decode-child.js GGUF STEPS BUDGET_MS THREADS PROMPT CONTEXT
 */
import { LlamaCppAdapter } from '../runners/backends/llama-cpp/llama-adapter.js';
import { benchmarkLlamaDecoder } from '../runners/measure/llama-decode-benchmark.js';
import { startEnergySpan } from '../runners/measure/energy.js';
import { readPeakRssBytes } from '../runners/measure/peak-rss.js';
import { decodePrompt, MIN_STEPS, type DecodeChildResult } from './decode-child-result.js';

/** What the llama.cpp child prints: the ONNX child's figures and the library that ran. */
export interface LlamaDecodeChildResult extends DecodeChildResult {
  readonly nodeLlamaCpp: string;
  /** As node-llama-cpp reports the release its binaries were built from. */
  readonly llamaCppRelease: string;
  /** The libggml-cpu variant the loader picked for this CPU. */
  readonly cpuVariant: string;
  readonly kvCache: string;
  readonly contextTokens: number;
  /** CPU seconds of the process over wall seconds of the timed steps: ≈ 1 when llama.cpp kept to 1 thread. */
  readonly cpuPerWall: number;
}

const [file, stepsArg, budgetArg, threadsArg, promptArg, contextArg] = process.argv.slice(2);
const maxSteps = Number(stepsArg), promptTokens = Number(promptArg), contextTokens = Number(contextArg);
const t0 = performance.now();
const adapter = await LlamaCppAdapter.load(file, { threads: Number(threadsArg), kvCacheType: 'f32', maxLength: contextTokens });
const loadMs = performance.now() - t0;
const generatedIds: number[] = [];
// only the span's CPU seconds are used (the thread check); energy is not reported here
const timings = await benchmarkLlamaDecoder(
  adapter,
  decodePrompt(promptTokens),
  { promptTokens, prefillRepeats: 1, warmupTokens: 1, decodeTokens: maxSteps },
  () => startEnergySpan({ executionProvider: 'cpu', tdpWattsPerCore: 1 }),
  { budgetMs: Number(budgetArg), minDecodeTokens: MIN_STEPS, onToken: (id) => generatedIds.push(id) },
);
const stepMs = [...timings.decodeMs].sort((a, b) => a - b);
const info = adapter.backendInfo();
const result: LlamaDecodeChildResult = {
  loadMs, promptTokens, prefillMs: timings.prefillMs[0], steps: stepMs.length, medianMs: stepMs[Math.floor(stepMs.length / 2)], bestMs: stepMs[0],
  peakRssBytes: readPeakRssBytes(), generatedIds,
  nodeLlamaCpp: info.nodeLlamaCpp, llamaCppRelease: info.llamaCppRelease, cpuVariant: info.cpuVariant, kvCache: `${info.kvCache.key}/${info.kvCache.value}`, contextTokens,
  cpuPerWall: (timings.energy.cpuSeconds ?? NaN) / (stepMs.reduce((a, b) => a + b, 0) / 1000),
};
console.log(JSON.stringify(result));
await adapter.dispose();
