import { InputError } from '../../core/errors.js';
import type { GenerateRequest, LoglikelihoodRequest } from '../../core/requests.js';
import type { PrefixEncoder } from './encode-pair.js';
import type { GenerationJob } from './generation.js';
import { cachedPair, storePair } from './pair-cache.js';
import { TextTokenizer } from './text-tokenizer.js';

/** A loglikelihood request after tokenization (context starts with BOS, both already fit the context window). */
export interface TokenizedPair {
  readonly contextIds: readonly number[];
  readonly continuationIds: readonly number[];
}

/** What request tokenization needs of a tokenizer (TextTokenizer, or llama.cpp's own tokenizer from a GGUF). */
export interface RequestTokenizer extends PrefixEncoder {
  /** Identifies the tokenizer's behaviour (a hash of its files): pairs are reused across calls under it; absent, never. */
  readonly fingerprint?: string;
  /** Splits a loglikelihood request into context ids (BOS first) and continuation ids (see encodePairWith). */
  encodePair(context: string, continuation: string, contextIds?: readonly number[]): { contextIds: number[]; continuationIds: number[] };
}

/**
 * Tokenizes loglikelihood requests the lm-evaluation-harness way, encoding each distinct
 * context once, and cuts contexts from the left so context + continuation[:-1] fits in
 * `maxLength` tokens. A request already tokenized under the same tokenizer fingerprint (an
 * earlier call, another variant of the same base) is taken from the pair cache (pair-cache.ts).
 */
export function tokenizePairs(tokenizer: RequestTokenizer, requests: readonly LoglikelihoodRequest[], maxLength: number): TokenizedPair[] {
  const contexts = new Map<string, number[]>();
  const { fingerprint } = tokenizer;
  return requests.map((r, i) => {
    let pair = fingerprint === undefined ? undefined : cachedPair(fingerprint, r.context, r.continuation);
    if (!pair) {
      const key = TextTokenizer.pairContextKey(r.context);
      let ctx = contexts.get(key);
      if (!ctx) contexts.set(key, (ctx = tokenizer.encode(key)));
      pair = tokenizer.encodePair(r.context, r.continuation, ctx);
      if (fingerprint !== undefined) storePair(fingerprint, r.context, r.continuation, pair);
    }
    const { contextIds, continuationIds } = pair;
    const room = maxLength - continuationIds.length + 1;
    if (room < 1) {
      throw new InputError(`loglikelihood request ${i}: the continuation has ${continuationIds.length} tokens, more than the model's context of ${maxLength} tokens`);
    }
    return { contextIds: contextIds.length > room ? contextIds.slice(-room) : contextIds, continuationIds };
  });
}

/** Checks `maxNewTokens`, tokenizes prompts (BOS first) and caps new tokens at the context window. */
export function tokenizePrompts(tokenizer: RequestTokenizer, requests: readonly GenerateRequest[], maxLength: number): GenerationJob[] {
  return requests.map((r, i) => {
    const max = r.options.maxNewTokens;
    if (!Number.isInteger(max) || max < 0) throw new InputError(`generate request ${i}: maxNewTokens must be a non-negative integer (got ${max})`);
    const promptIds = tokenizer.encode(r.prompt);
    if (max > 0 && promptIds.length >= maxLength) {
      throw new InputError(
        `generate request ${i}: the prompt has ${promptIds.length} tokens but the model's context (max_position_embeddings) is ${maxLength}; shorten the prompt to at most ${maxLength - 1} tokens`,
      );
    }
    const room = maxLength - promptIds.length;
    return { promptIds, maxNewTokens: Math.min(max, room), stop: r.options.stop ?? [] };
  });
}
