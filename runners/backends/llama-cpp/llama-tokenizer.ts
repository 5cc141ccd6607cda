import type { LlamaModel, Token } from 'node-llama-cpp';
import { encodePairWith } from '../../model/encode-pair.js';
import type { RequestTokenizer } from '../../model/request-tokens.js';

/** Prompt tokens given to the detokenizer as left context, so a continuation keeps its leading space. */
const DECODE_ANCHOR_TOKENS = 8;

/**
 * llama.cpp's own tokenizer from the GGUF, with the conventions of the ONNX path
 * (TextTokenizer): BOS first when the vocabulary asks for it, pairs split by
 * {@link encodePairWith}, special tokens skipped when decoding.
 */
export class LlamaTokenizer implements RequestTokenizer {
  /** `[BOS]` when the model prepends one, else `[]`. */
  readonly prefixIds: readonly number[];

  constructor(private readonly model: LlamaModel) {
    const bos = model.tokens.bos;
    this.prefixIds = model.tokens.shouldPrependBosToken && bos !== null ? [bos] : [];
  }

  /** Token ids of `text` without BOS; special-token text is read as plain text. */
  encodePlain(text: string): number[] {
    return text === '' ? [] : [...this.model.tokenize(text, false)];
  }

  /** Token ids as the model reads them: BOS (when the model uses one) then the text. */
  encode(text: string): number[] {
    return [...this.prefixIds, ...this.encodePlain(text)];
  }

  /** See {@link encodePairWith}. */
  encodePair(context: string, continuation: string, contextIds?: readonly number[]): { contextIds: number[]; continuationIds: number[] } {
    return encodePairWith(this, context, continuation, contextIds);
  }

  /** Text of `ids`, special tokens skipped. */
  decode(ids: readonly number[]): string {
    return this.model.detokenize(ids as readonly Token[], false);
  }

  /** Text that `generatedIds` add after `promptIds` (llama.cpp's detokenizer takes the prompt's tail as left context). */
  decodeContinuation(promptIds: readonly number[], generatedIds: readonly number[]): string {
    if (generatedIds.length === 0) return '';
    return this.model.detokenize(generatedIds as readonly Token[], false, promptIds.slice(-DECODE_ANCHOR_TOKENS) as Token[]);
  }

  /** True for end-of-generation tokens (EOS, EOT, …) as the GGUF vocabulary marks them. */
  isEndOfGeneration(id: number): boolean {
    return this.model.isEogToken(id as Token);
  }
}
