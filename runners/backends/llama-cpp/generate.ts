import type { LlamaContextSequence } from 'node-llama-cpp';
import { finishingRule, type GenerationJob, type GenerationResult } from '../../model/generation.js';
import type { LlamaTokenizer } from './llama-tokenizer.js';
import { evaluateWithLogits, greedyToken } from './next-token-logits.js';

/**
 * Greedy decoding (argmax, temperature 0) of one job on an emptied sequence: the prompt is
 * evaluated at once, then one token per step with the KV cache. Ends as every backend does
 * ({@link finishingRule}): an end-of-generation token, a stop string, `maxNewTokens`
 * (already capped at the context window), or non-finite logits.
 */
export async function generateOne(seq: LlamaContextSequence, tokenizer: LlamaTokenizer, job: GenerationJob): Promise<GenerationResult> {
  if (job.maxNewTokens === 0) return { generatedIds: [], text: '', finishReason: 'length' };
  const results: GenerationResult[] = [];
  const take = finishingRule(tokenizer, [job], (t) => tokenizer.isEndOfGeneration(t), results);
  await seq.clearHistory();
  let [logits] = await evaluateWithLogits(seq, job.promptIds, job.promptIds.length - 1);
  const generated: number[] = [];
  for (;;) {
    const token = greedyToken(logits);
    if (take(0, generated, token)) return results[0];
    [logits] = await evaluateWithLogits(seq, [token], 0);
  }
}
