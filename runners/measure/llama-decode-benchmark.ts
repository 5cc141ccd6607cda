import type { LlamaCppAdapter } from '../backends/llama-cpp/llama-adapter.js';
import { evaluateGreedy } from '../backends/llama-cpp/next-token-logits.js';
import type { BenchmarkSizes, BenchmarkTimings } from './decode-benchmark.js';
import type { EnergySpan } from './energy.js';

/** Optional limits of {@link benchmarkLlamaDecoder}'s timed loop, and a look at its tokens. */
export interface LlamaDecodeLoopOptions {
  /** Stop the timed loop once this many ms have passed and `minDecodeTokens` were timed (default: no budget). */
  readonly budgetMs?: number;
  /** Fewest timed steps under a budget (default 3). */
  readonly minDecodeTokens?: number;
  /** Called with every greedy token after the first timed prefill: the prefill's, then each step's. */
  readonly onToken?: (id: number) => void;
}

function msSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * {@link benchmarkDecoder}'s measurements for a GGUF model on llama.cpp: prefill of the
 * whole prompt from an empty cache (one untimed pass first; emptying the cache is not
 * timed), then greedy decoding with the KV cache, `warmupTokens` untimed steps and
 * `decodeTokens` timed ones (evaluate one token + llama.cpp's greedy sampler each, which
 * reproduces the llama2.c oracle as the logit argmax does). Energy covers exactly the
 * timed decode loop. With `options.budgetMs`, `decodeTokens` is the most steps timed.
 */
export async function benchmarkLlamaDecoder(
  adapter: LlamaCppAdapter,
  promptIds: readonly number[],
  sizes: BenchmarkSizes,
  startEnergy: () => EnergySpan,
  options: LlamaDecodeLoopOptions = {},
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
  if (sizes.prefillRepeats > 0) options.onToken?.(token);
  const step = async (): Promise<void> => {
    token = await evaluateGreedy(seq, [Math.max(0, token)]);
    options.onToken?.(token);
  };
  for (let i = 0; i < sizes.warmupTokens; i++) await step();
  const decodeMs: number[] = [];
  const span = startEnergy();
  const budgetMs = options.budgetMs ?? Infinity;
  const minTokens = options.minDecodeTokens ?? 3;
  const started = process.hrtime.bigint();
  for (let i = 0; i < sizes.decodeTokens && (i < minTokens || msSince(started) < budgetMs); i++) {
    const t0 = process.hrtime.bigint();
    await step();
    decodeMs.push(msSince(t0));
  }
  const energy = await span.finish(decodeMs.length);
  return { prefillMs, decodeMs, energy };
}
