/**
 * Exact speed-ups of @huggingface/tokenizers' pipeline, applied to one Tokenizer instance. A
 * cold loglikelihood call encodes every choice with its whole context (lm-evaluation-harness'
 * split), so the same words are pre-tokenized and merged again and again: on the 5-shot and
 * long-context bench cases tokenizing was the largest cost outside onnxruntime. Each wrapper
 * computes exactly what the library's own method computes (a miss calls it), so token ids do
 * not change; where the library's objects do not have the shape expected, nothing is wrapped.
 *
 * - byte-level pre-tokenizer: per word, UTF-8 bytes mapped through a table with
 *   `Array.from(…).join('')`; its result depends on the word alone, so it is kept per word;
 * - a Sequence of pre-tokenizers: `reduce` + `map` + `flat` over arrays of one-word arrays,
 *   replaced by the same composition written as loops;
 * - BPE merges of a word: the library keeps them in an LRU (a delete and a set per hit); a plain
 *   map in front of it returns the same array.
 */

/** Entries kept per memo before it starts again (a few MB at most). */
const MEMO_LIMIT = 1 << 16;

type PreTokenize = (text: string, options?: unknown) => string[];

interface ByteLevelLike {
  byte_encoder: unknown;
  use_regex: unknown;
  add_prefix_space: unknown;
  pre_tokenize_text: PreTokenize;
}

interface SequenceLike {
  tokenizers: unknown[];
  pre_tokenize_text: PreTokenize;
  pre_tokenize: unknown;
}

/** The library's pre-tokenizers and models are callable objects (functions) or plain objects. */
function isObject(x: unknown): x is Record<string, unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null;
}

function isByteLevel(x: unknown): x is ByteLevelLike {
  return isObject(x) && typeof x.pre_tokenize_text === 'function' && typeof x.byte_encoder === 'object' && typeof x.use_regex === 'boolean' && typeof x.add_prefix_space === 'boolean';
}

function isSequence(x: unknown): x is SequenceLike {
  return isObject(x) && Array.isArray(x.tokenizers) && typeof x.pre_tokenize_text === 'function' && typeof x.pre_tokenize === 'function';
}

/** `fn` with its results kept per string key (bounded). */
function memoized<T>(fn: (key: string) => T): (key: string) => T {
  let memo = new Map<string, T>();
  return (key: string): T => {
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    if (memo.size >= MEMO_LIMIT) memo = new Map();
    memo.set(key, value);
    return value;
  };
}

/** Wraps a byte-level pre-tokenizer's per-word mapping with a memo; returns 1 when it did. */
function memoizeByteLevel(node: ByteLevelLike): number {
  const original = node.pre_tokenize_text.bind(node);
  // the result depends on the word only (options are not read); copies keep the memo safe from callers
  const lookup = memoized((text: string) => original(text));
  node.pre_tokenize_text = (text: string): string[] => lookup(text).slice();
  return 1;
}

/**
 * Rewrites a Sequence's `reduce(pre_tokenize)` as loops: `pre_tokenize(list)` is
 * `list.map(pre_tokenize_text).flat()`, i.e. every element of every result in order. Only when
 * each child inherits that `pre_tokenize` (none overrides it). Returns the number of wrappers.
 */
function fuseSequence(node: SequenceLike): number {
  let wrapped = node.tokenizers.reduce((n: number, child: unknown) => n + speedUpPreTokenizer(child), 0);
  const children = node.tokenizers;
  if (!children.every((c) => c === null || c === undefined || (isObject(c) && c.pre_tokenize === node.pre_tokenize && typeof c.pre_tokenize_text === 'function'))) return wrapped;
  node.pre_tokenize_text = (text: string, options?: unknown): string[] => {
    let current: string[] = [text];
    for (const child of children) {
      if (!child) continue;
      const step = (child as { pre_tokenize_text: PreTokenize }).pre_tokenize_text.bind(child);
      const next: string[] = [];
      for (const piece of current) for (const out of step(piece, options)) next.push(out);
      current = next;
    }
    return current;
  };
  return wrapped + 1;
}

/** Applies the pre-tokenizer speed-ups under `node`; returns how many wrappers were installed. */
export function speedUpPreTokenizer(node: unknown): number {
  if (isSequence(node)) return fuseSequence(node);
  if (isByteLevel(node)) return memoizeByteLevel(node);
  return 0;
}

/** Puts a plain map in front of a BPE model's LRU of merged words; returns 1 when it did. */
export function speedUpModel(model: unknown): number {
  if (!isObject(model) || typeof model.bpe !== 'function' || !isObject(model.cache) || !isObject(model.bpe_ranks)) return 0;
  const original = (model.bpe as (token: string) => string[]).bind(model);
  // bpe(token) depends on the token and the fixed merges only; callers read the array, never write it
  model.bpe = memoized((token: string) => original(token));
  return 1;
}
