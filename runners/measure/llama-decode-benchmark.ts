import type { LlamaCppAdapter } from '../backends/llama-cpp/llama-adapter.js';
import { evaluateGreedy } from '../backends/llama-cpp/next-token-logits.js';
import type { BenchmarkSizes, BenchmarkTimings } from './decode-benchmark.js';
import type { EnergySpan } from './energy.js';

function msSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * {@link benchmarkDecoder}'s measurements for a GGUF model on llama.cpp: prefill of the
 * whole prompt from an empty cache (one untimed pass first; emptying the cache is not
 * timed), then greedy decoding with the KV cache, `warmupTokens` untimed steps and
 * `decodeTokens` timed ones (evaluate one token + llama.cpp's greedy sampler each, which
 * reproduces the llama2.c oracle as the logit argmax does). Energy covers exactly the
 * timed decode loop.
 */
export async function benchmarkLlamaDecoder(
  adapter: LlamaCppAdapter,
  promptIds: readonly number[],
  sizes: BenchmarkSizes,
  startEnergy: () => EnergySpan,
): Promise<BenchmarkTimings> {
  const seq = adapter.sequence;
  await seq.clearHistory();
  let token = await evaluateGreedy(seq, promptIds);
  const prefillMs: number[] = [];
  for (let i = 0; i < sizes.prefillRepeats; i++) {
    await seq.clearHistory();
    const t0 = process.hrtime.bigint();
    // the first token is part of time to first token
    token = await evaluateGreedy(seq, promptIds);
    prefillMs.push(msSince(t0));
  }
  const step = async (): Promise<void> => {
    token = await evaluateGreedy(seq, [Math.max(0, token)]);
  };
  for (let i = 0; i < sizes.warmupTokens; i++) await step();
  const decodeMs: number[] = [];
  const span = startEnergy();
  for (let i = 0; i < sizes.decodeTokens; i++) {
    const t0 = process.hrtime.bigint();
    await step();
    decodeMs.push(msSince(t0));
  }
  const energy = await span.finish(sizes.decodeTokens);
  return { prefillMs, decodeMs, energy };
}
