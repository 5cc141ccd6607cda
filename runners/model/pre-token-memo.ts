/**
 * An exact speed-up of @huggingface/tokenizers' byte-level pre-tokenizer (GPT-2, Llama 3 and
 * the bundled models' tokenizers). For every word of every text it encodes the word to UTF-8 and
 * maps each byte through a table with `Array.from(…).join('')`: a third of a cold
 * loglikelihood call's tokenizing on the 5-shot bench case, where each choice re-encodes the
 * same header. The mapping reads nothing but the word and the pre-tokenizer's fixed settings, so
 * its results are kept per word (a bounded map); a miss calls the library's own function.
 */

/** The fields of the library's ByteLevel pre-tokenizer this file relies on. */
interface ByteLevelLike {
  byte_encoder: unknown;
  use_regex: unknown;
  add_prefix_space: unknown;
  pre_tokenize_text: (text: string, options?: unknown) => string[];
}

/** Words kept per pre-tokenizer before the map starts again (a few MB at most). */
const MEMO_LIMIT = 1 << 16;

function isByteLevel(x: unknown): x is ByteLevelLike {
  const o = x as Partial<ByteLevelLike> | null;
  // the library's pre-tokenizers are callable objects (functions)
  return (typeof o === 'object' || typeof o === 'function') && o !== null && typeof o.pre_tokenize_text === 'function' && typeof o.byte_encoder === 'object' && typeof o.use_regex === 'boolean' && typeof o.add_prefix_space === 'boolean';
}

/**
 * Wraps every byte-level pre-tokenizer in `preTokenizer` (itself or inside a Sequence) with a
 * per-word memo and returns how many it wrapped (0 when the library's shape is not the one
 * expected: tokenizing then stays as it was).
 */
export function memoizeByteLevel(preTokenizer: unknown): number {
  if (typeof preTokenizer !== 'object' && typeof preTokenizer !== 'function') return 0;
  if (preTokenizer === null) return 0;
  const children = (preTokenizer as { tokenizers?: unknown }).tokenizers;
  if (Array.isArray(children)) return children.reduce((n: number, child: unknown) => n + memoizeByteLevel(child), 0);
  if (!isByteLevel(preTokenizer)) return 0;
  const original = preTokenizer.pre_tokenize_text.bind(preTokenizer);
  let memo = new Map<string, string[]>();
  preTokenizer.pre_tokenize_text = (text: string, options?: unknown): string[] => {
    const hit = memo.get(text);
    if (hit) return hit.slice();
    const out = original(text, options);
    if (memo.size >= MEMO_LIMIT) memo = new Map();
    memo.set(text, out.slice());
    return out;
  };
  return 1;
}
