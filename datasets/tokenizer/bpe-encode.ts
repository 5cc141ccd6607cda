/**
 * Our own encoder for a trained byte-level BPE (merge by lowest rank, as the HF BPE
 * model does). Tests check it against `@huggingface/tokenizers` on the corpus.
 */
import { type BpeModel, SPECIAL_TOKENS } from './bpe-train.js';
import { byteLevelWords } from './byte-level.js';

/** Encodes text to ids, with `<s>` first (as the tokenizer.json post-processor does). */
export function encodeBpe(model: BpeModel, text: string): number[] {
  const ranks = new Map<string, number>(model.merges.map(([a, b], i) => [a + ' ' + b, i]));
  const ids = [model.vocab.get(SPECIAL_TOKENS[1]) as number];
  for (const word of byteLevelWords(text)) {
    const s = word.slice();
    for (;;) {
      let bestRank = Infinity;
      let at = -1;
      for (let i = 0; i + 1 < s.length; i++) {
        const r = ranks.get(s[i] + ' ' + s[i + 1]);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          at = i;
        }
      }
      if (at < 0) break;
      s.splice(at, 2, s[at] + s[at + 1]);
    }
    for (const sym of s) ids.push(model.vocab.get(sym) as number);
  }
  return ids;
}
