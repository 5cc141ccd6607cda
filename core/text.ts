/**
 * Text helpers shared by the suites (scoring) and the suite builders (datasets), which
 * may not import each other: SQuAD answer normalisation and whole-word search.
 */

const ARTICLES = new Set(['a', 'an', 'the']);

/**
 * SQuAD v1.1 answer normalisation (`normalize_answer` in the official evaluate-v1.1.py):
 * lower-case, drop punctuation, drop the articles a/an/the, collapse whitespace. We drop
 * Unicode punctuation and symbols too (SQuAD drops ASCII `string.punctuation` only), so
 * curly quotes and dashes from real data normalise the same way as their ASCII forms.
 */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, '')
    .split(/\s+/)
    .filter((t) => t !== '' && !ARTICLES.has(t))
    .join(' ');
}

/** Where `word` first occurs in `text` as a whole word (not inside a longer word), or -1. */
export function findWord(text: string, word: string): number {
  const m = wholeWord(word).exec(text);
  return m ? m.index : -1;
}

/** Where `word` last occurs in `text` as a whole word, or -1 (a cloze target at a story's end). */
export function findLastWord(text: string, word: string): number {
  let at = -1;
  for (const m of text.matchAll(wholeWord(word, 'g'))) at = m.index;
  return at;
}

function wholeWord(word: string, flags = ''): RegExp {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, `u${flags}`);
}

/** Length of the longest common prefix of two token id sequences. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}
