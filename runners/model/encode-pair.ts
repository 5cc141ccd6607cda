import { commonPrefixLength } from '../../core/text.js';

/** What {@link encodePairWith} needs of a tokenizer: its start prefix (BOS) and `encode` (prefix + text ids). */
export interface PrefixEncoder {
  /** Ids put before every text (usually `[BOS]`). */
  readonly prefixIds: readonly number[];
  /** Token ids of `text` as the model reads it: the start prefix then the text. */
  encode(text: string): number[];
}

/**
 * lm-evaluation-harness' `_encode_pair` for any tokenizer, so that every backend splits a
 * request into the same context and continuation tokens: trailing whitespace of the
 * context moves to the continuation, then encode(context + continuation) is split at the
 * length of encode(context). When encode(context) is not a prefix of the whole encoding
 * (a token straddles the boundary), the split moves back to the longest common prefix, so
 * the straddling token is scored as part of the continuation (see TextTokenizer.encodePair).
 */
export function encodePairWith(
  tokenizer: PrefixEncoder,
  context: string,
  continuation: string,
  contextIds?: readonly number[],
): { contextIds: number[]; continuationIds: number[] } {
  const trimmed = context.replace(/\s+$/u, '');
  const moved = context.slice(trimmed.length);
  const ctx = contextIds ? [...contextIds] : tokenizer.encode(trimmed);
  const whole = tokenizer.encode(trimmed + moved + continuation);
  const common = commonPrefixLength(ctx, whole);
  if (common === ctx.length || common < tokenizer.prefixIds.length) return { contextIds: ctx, continuationIds: whole.slice(ctx.length) };
  return { contextIds: whole.slice(0, common), continuationIds: whole.slice(common) };
}
