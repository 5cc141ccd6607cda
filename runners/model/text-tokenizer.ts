import { createHash } from 'node:crypto';
import { Tokenizer } from '@huggingface/tokenizers';
import { InputError, messageOf } from '../../core/errors.js';
import { encodePairWith } from './encode-pair.js';
import { speedUpModel, speedUpPreTokenizer } from './tokenizer-memo.js';

/** Prompt tokens re-decoded before the generated ones, so the decoder sees the right left context (leading spaces). */
const DECODE_ANCHOR_TOKENS = 8;

/**
 * A model folder's tokenizer (tokenizer.json + tokenizer_config.json through
 * `@huggingface/tokenizers`), with the conventions of lm-evaluation-harness:
 * BOS as the tokenizer's post-processor adds it, pairs split at the context's length.
 */
export class TextTokenizer {
  /** Ids the tokenizer puts before every text (usually `[BOS]`, or none). */
  readonly prefixIds: readonly number[];
  /** One past the largest token id the tokenizer can produce. */
  readonly vocabSize: number;
  /** SHA-256 of the tokenizer's files and start id: equal fingerprints tokenize alike (request-tokens.ts caches pairs by it). */
  readonly fingerprint: string;
  private readonly tok: Tokenizer;

  /**
   * @param tokenizerJson parsed tokenizer.json
   * @param tokenizerConfig parsed tokenizer_config.json (or `{}`)
   * @param fallbackStartId id used as the start token when the tokenizer adds none (BOS, else EOS, from config.json)
   * @param source the tokenizer.json path, for messages
   */
  constructor(tokenizerJson: object, tokenizerConfig: object, fallbackStartId: number | undefined, source: string) {
    try {
      this.tok = new Tokenizer(tokenizerJson, tokenizerConfig);
      const parts = this.tok as unknown as { pre_tokenizer?: unknown; model?: unknown };
      speedUpPreTokenizer(parts.pre_tokenizer);
      speedUpModel(parts.model);
      const plain = this.tok.encode('a', { add_special_tokens: false }).ids;
      const full = this.tok.encode('a').ids;
      const at = indexOfRun(full, plain);
      const prefix = at > 0 ? full.slice(0, at) : [];
      this.prefixIds = prefix.length > 0 ? prefix : fallbackStartId !== undefined ? [fallbackStartId] : [];
      let maxId = -1;
      for (const id of this.tok.get_vocab(true).values()) maxId = Math.max(maxId, id);
      this.vocabSize = maxId + 1;
    } catch (e) {
      throw new InputError(`${source}: not a usable tokenizer (${messageOf(e)})`);
    }
    this.fingerprint = createHash('sha256').update(JSON.stringify([tokenizerJson, tokenizerConfig, this.prefixIds])).digest('hex');
    if (this.prefixIds.length === 0) {
      throw new InputError(`${source}: the tokenizer adds no BOS and config.json names no bos_token_id or eos_token_id; set one of them`);
    }
  }

  /** Token ids of `text` without special tokens. */
  encodePlain(text: string): number[] {
    return text === '' ? [] : this.tok.encode(text, { add_special_tokens: false }).ids;
  }

  /** Token ids of `text` as the model reads it: the start prefix (BOS) then the text. */
  encode(text: string): number[] {
    return [...this.prefixIds, ...this.encodePlain(text)];
  }

  /**
   * lm-evaluation-harness' `_encode_pair`: trailing whitespace of the context moves to
   * the continuation, then encode(context + continuation) is split at the length of
   * encode(context). `contextIds` start with the prefix (BOS).
   *
   * One deliberate difference: when encode(context) is not a prefix of the whole
   * encoding (a token straddles the boundary, as with tokenizers that attach the space
   * to the end of a word: "dentist." + " She" encodes as `dentist`, `. `, `She `), the
   * split moves back to the longest common prefix, so the straddling token is scored as
   * part of the continuation. lm-eval would condition on `.`, a token sequence the
   * tokenizer never produces for this text, and the model has never seen it.
   */
  encodePair(context: string, continuation: string, contextIds?: readonly number[]): { contextIds: number[]; continuationIds: number[] } {
    return encodePairWith(this, context, continuation, contextIds);
  }

  /** The context string actually encoded by {@link encodePair} (trailing whitespace removed), for caching. */
  static pairContextKey(context: string): string {
    return context.replace(/\s+$/u, '');
  }

  /** Text of `ids`, special tokens skipped. */
  decode(ids: readonly number[]): string {
    return this.tok.decode([...ids], { skip_special_tokens: true });
  }

  /** Text that `generatedIds` add after `promptIds` (keeps the leading space a lone decode would strip). */
  decodeContinuation(promptIds: readonly number[], generatedIds: readonly number[]): string {
    if (generatedIds.length === 0) return '';
    const anchor = promptIds.slice(-DECODE_ANCHOR_TOKENS);
    const head = this.decode(anchor);
    const all = this.decode([...anchor, ...generatedIds]);
    if (all.startsWith(head)) return all.slice(head.length);
    // A multi-byte character split across the boundary: fall back to the whole prompt.
    const fullHead = this.decode(promptIds);
    const full = this.decode([...promptIds, ...generatedIds]);
    return full.startsWith(fullHead) ? full.slice(fullHead.length) : this.decode(generatedIds);
  }
}

function indexOfRun(haystack: readonly number[], needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
