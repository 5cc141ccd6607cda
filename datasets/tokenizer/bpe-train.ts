/**
 * A small deterministic byte-level BPE trainer. Ties between equally frequent pairs
 * break on the pair's string order, so the same texts always give the same merges.
 */
import { byteLevelWords, BYTE_TO_CHAR } from './byte-level.js';

/** The special tokens, in id order: pad 0, bos 1, eos 2. */
export const SPECIAL_TOKENS = ['<pad>', '<s>', '</s>'] as const;

/** A trained byte-level BPE: token -> id, and merges in rank order. */
export interface BpeModel {
  vocab: Map<string, number>;
  merges: Array<[string, string]>;
}

interface WordEntry {
  symbols: string[];
  count: number;
}

function countPairs(words: readonly WordEntry[]): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const w of words) {
    for (let i = 0; i + 1 < w.symbols.length; i++) {
      const key = w.symbols[i] + ' ' + w.symbols[i + 1];
      pairs.set(key, (pairs.get(key) ?? 0) + w.count);
    }
  }
  return pairs;
}

/**
 * Trains merges until the vocabulary (specials + 256 bytes + merges) has `vocabSize`
 * entries or no pair occurs twice. Byte-level symbols never contain a space, so a
 * pair is keyed as "a b".
 */
export function trainBpe(texts: Iterable<string>, vocabSize: number): BpeModel {
  const wordCounts = new Map<string, number>();
  for (const t of texts) {
    for (const w of byteLevelWords(t)) {
      const key = w.join('');
      wordCounts.set(key, (wordCounts.get(key) ?? 0) + 1);
    }
  }
  const words: WordEntry[] = [...wordCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([w, count]) => ({ symbols: [...w], count }));
  const vocab = new Map<string, number>();
  for (const s of SPECIAL_TOKENS) vocab.set(s, vocab.size);
  for (const c of BYTE_TO_CHAR) vocab.set(c, vocab.size);
  const merges: Array<[string, string]> = [];
  while (vocab.size < vocabSize) {
    let best = '';
    let bestCount = 1;
    for (const [key, n] of countPairs(words)) {
      if (n > bestCount || (n === bestCount && best !== '' && key < best)) {
        best = key;
        bestCount = n;
      }
    }
    if (best === '') break;
    const [a, b] = best.split(' ');
    const merged = a + b;
    merges.push([a, b]);
    if (!vocab.has(merged)) vocab.set(merged, vocab.size);
    for (const w of words) {
      const s = w.symbols;
      if (s.length < 2) continue;
      const next: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(s[i]);
      }
      w.symbols = next;
    }
  }
  return { vocab, merges };
}
