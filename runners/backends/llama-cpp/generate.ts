import type { LlamaContextSequence } from 'node-llama-cpp';
import type { FinishReason } from '../../../core/requests.js';
import type { GenerationJob, GenerationResult } from '../onnxruntime/generate.js';
import type { LlamaTokenizer } from './llama-tokenizer.js';
import { evaluateWithLogits, greedyToken } from './next-token-logits.js';

/** Where the earliest stop string begins in `text`, or -1 (empty stop strings never match). */
function stopIndex(text: string, stop: readonly string[]): number {
  let at = -1;
  for (const s of stop) {
    const i = s === '' ? -1 : text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

/**
 * Greedy decoding (argmax, temperature 0) of one job on an emptied sequence: the prompt is
 * evaluated at once, then one token per step with the KV cache. Ends on an
 * end-of-generation token, a stop string (text cut before it), `maxNewTokens` (already
 * capped at the context window), or non-finite logits.
 */
export async function generateOne(seq: LlamaContextSequence, tokenizer: LlamaTokenizer, job: GenerationJob): Promise<GenerationResult> {
  if (job.maxNewTokens === 0) return { generatedIds: [], text: '', finishReason: 'length' };
  await seq.clearHistory();
  let [logits] = await evaluateWithLogits(seq, job.promptIds, job.promptIds.length - 1);
  const generated: number[] = [];
  for (;;) {
    const token = greedyToken(logits);
    if (token < 0) return { generatedIds: generated, text: '', finishReason: 'non-finite' };
    generated.push(token);
    let reason: FinishReason | undefined;
    let text: string | undefined;
    if (tokenizer.isEndOfGeneration(token)) reason = 'eos';
    else if (job.stop.length > 0) {
      text = tokenizer.decodeContinuation(job.promptIds, generated);
      if (stopIndex(text, job.stop) >= 0) reason = 'stop';
    }
    if (!reason && generated.length >= job.maxNewTokens) reason = 'length';
    if (reason) {
      text ??= tokenizer.decodeContinuation(job.promptIds, generated);
      const at = stopIndex(text, job.stop);
      return { generatedIds: generated, text: at >= 0 ? text.slice(0, at) : text, finishReason: at >= 0 ? 'stop' : reason };
    }
    [logits] = await evaluateWithLogits(seq, [token], 0);
  }
}
