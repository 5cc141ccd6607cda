import type { LlamaContextSequence } from 'node-llama-cpp';
import { planRollingWindows } from '../../model/rolling-windows.js';
import { evaluateTargets } from './next-token-logits.js';

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
  observe?: (position: number, target: number, row: Float32Array) => void,
): Promise<{ nllSum: number; tokenCount: number }> {
  let nllSum = 0;
  let tokenCount = 0;
  for (const w of planRollingWindows(tokens.length, maxLength, stride)) {
    await seq.clearHistory();
    const inputs = w.end - w.start;
    // the position after window input j predicts tokens[start + j + 1]
    const from = inputs - w.scored;
    const targets = tokens.slice(w.start + from + 1, w.end + 1);
    // scored position = the target's index after BOS
    const sink = observe && ((k: number, row: Float32Array): void => observe(w.start + from + k, targets[k], row));
    const scores = await evaluateTargets(seq, tokens.slice(w.start, w.end), from, targets, sink);
    for (const r of scores) nllSum -= r.logprob;
    tokenCount += w.scored;
  }
  return { nllSum, tokenCount };
}
