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

/** Tokens of the normalised text (whitespace split). */
export function answerTokens(text: string): string[] {
  const norm = normalizeAnswer(text);
  return norm === '' ? [] : norm.split(' ');
}
