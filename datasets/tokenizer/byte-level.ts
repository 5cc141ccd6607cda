/**
 * Byte-level pieces shared by the trainer and the encoder: the pre-tokenizer split
 * and GPT-2's byte-to-unicode map.
 *
 * Unlike GPT-2, a word keeps the space that FOLLOWS it ("is " | "Paris" | "."), not
 * the one before it. LLM-KICK's prompt ends in "The answer is " (trailing space): with
 * GPT-2's split that space would become a lone token never followed by an answer in
 * training; with this split the prompt tokenizes exactly as in the corpus' QA lines.
 */

/** Split pattern source (Oniguruma- and JS-compatible); applied as a Split pre-tokenizer, behavior Isolated. */
export const SPLIT_PATTERN = "'(?:[sdmt]|ll|ve|re) ?|\\p{L}+ ?|\\p{N}+ ?|[^\\s\\p{L}\\p{N}]+ ?|\\s+";

/** The same pattern as a global JS RegExp. */
export const BYTE_LEVEL_SPLIT = new RegExp(SPLIT_PATTERN, 'gu');

/** GPT-2's map from byte value (0–255) to a printable unicode character. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const bs: number[] = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out: string[] = new Array(256);
  bs.forEach((b, i) => (out[b] = String.fromCodePoint(cs[i])));
  return out;
})();

const ENCODER = new TextEncoder();

/** Splits text into pre-tokens and maps each to its byte-level symbols (one char per byte). */
export function byteLevelWords(text: string): string[][] {
  const out: string[][] = [];
  for (const m of text.matchAll(BYTE_LEVEL_SPLIT)) out.push([...ENCODER.encode(m[0])].map((b) => BYTE_TO_CHAR[b]));
  return out;
}
