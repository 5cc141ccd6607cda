import { InputError } from '../../core/errors.js';
import type { EnergyRecord } from '../../core/run-record.js';
import type { DecoderSession, ForwardResult } from '../backends/onnxruntime/decoder-session.js';
import { argmaxAt } from '../backends/onnxruntime/log-probs.js';
import type { TextTokenizer } from '../model/text-tokenizer.js';
import type { EnergySpan } from './energy.js';

/**
 * Text the benchmark prompt is cut from. Any fixed text works: its ids are the same for
 * every variant of a model (same tokenizer), so prefill is timed on identical input.
 */
export const BENCHMARK_PROMPT_TEXT =
  'Once upon a time, there was a little girl named Lily. She liked to play in the park with her big red ball. One day, the sun was warm and the sky was blue. ';

/** Token counts of one benchmark. */
export interface BenchmarkSizes {
  readonly promptTokens: number;
  readonly prefillRepeats: number;
  readonly warmupTokens: number;
  readonly decodeTokens: number;
}

/** Raw timings of one benchmark, plus the energy of the timed decode loop. */
export interface BenchmarkTimings {
  /** Wall time of each timed prefill pass over the whole prompt. */
  readonly prefillMs: number[];
  /** Wall time of each timed decode step (forward of one token with the KV cache + argmax). */
  readonly decodeMs: number[];
  readonly energy: EnergyRecord;
}

/** `promptTokens` ids: the start prefix (BOS), then the fixed text's ids repeated. */
export function benchmarkPromptIds(tokenizer: Pick<TextTokenizer, 'prefixIds' | 'encodePlain'>, promptTokens: number): number[] {
  const text = tokenizer.encodePlain(BENCHMARK_PROMPT_TEXT);
  if (text.length === 0) throw new InputError('the model tokenizer encodes the benchmark prompt to no tokens; check tokenizer.json');
  const ids = [...tokenizer.prefixIds];
  while (ids.length < promptTokens) ids.push(...text);
  return ids.slice(0, promptTokens);
}

function msSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Times prefill (one untimed pass first, so session allocation is not in the figure) then
 * greedy decoding: `warmupTokens` untimed steps, then `decodeTokens` timed steps, each with
 * `process.hrtime.bigint()`. Energy covers exactly the timed decode loop. Without a KV cache
 * each step re-runs the whole sequence (slower, but the same tokens).
 */
export async function benchmarkDecoder(
  session: DecoderSession,
  promptIds: readonly number[],
  sizes: BenchmarkSizes,
  startEnergy: () => EnergySpan,
): Promise<BenchmarkTimings> {
  let out: ForwardResult = await session.forward([promptIds]);
  const prefillMs: number[] = [];
  for (let i = 0; i < sizes.prefillRepeats; i++) {
    const t0 = process.hrtime.bigint();
    out = await session.forward([promptIds]);
    // the first token is part of time to first token
    argmaxAt(out.logits, out.offset(0, promptIds.length - 1), out.vocab);
    prefillMs.push(msSince(t0));
  }
  const seq = [...promptIds];
  let last = promptIds.length - 1;
  const step = async (): Promise<void> => {
    const token = argmaxAt(out.logits, out.offset(0, last), out.vocab);
    seq.push(token);
    if (session.hasKvCache) {
      out = await session.forward([[token]], out.cache);
      last = 0;
    } else {
      out = await session.forward([seq]);
      last = seq.length - 1;
    }
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
