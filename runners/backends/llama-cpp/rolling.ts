import type { LlamaContextSequence } from 'node-llama-cpp';
import { planRollingWindows } from '../../model/rolling-windows.js';
import { evaluateWithLogits, logProbOf } from './next-token-logits.js';

/**
 * NLL sum (nats) and scored token count of one sequence, over the same windows as the
 * ONNX backend ({@link planRollingWindows}): every token after the first (BOS) predicted
 * exactly once, each window evaluated from an empty cache.
 */
export async function scoreRollingSequence(
  seq: LlamaContextSequence,
  tokens: readonly number[],
  maxLength: number,
  stride: number,
): Promise<{ nllSum: number; tokenCount: number }> {
  let nllSum = 0;
  let tokenCount = 0;
  for (const w of planRollingWindows(tokens.length, maxLength, stride)) {
    await seq.clearHistory();
    const inputs = w.end - w.start;
    const logits = await evaluateWithLogits(seq, tokens.slice(w.start, w.end), inputs - w.scored);
    // the logits after window input j predict tokens[start + j + 1]
    logits.forEach((l, k) => (nllSum -= logProbOf(l, tokens[w.start + inputs - w.scored + k + 1]).logprob));
    tokenCount += w.scored;
  }
  return { nllSum, tokenCount };
}
