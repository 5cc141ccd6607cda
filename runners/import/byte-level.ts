/**
 * GPT-2's byte-level alphabet (bytes_to_unicode): every byte as one printable character,
 * so byte-level BPE vocabularies (ByteLevel pre-tokenizer/decoder) are strings.
 */

function table(): string[] {
  const chars: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    chars[b] = String.fromCodePoint(printable ? b : 256 + extra++);
  }
  return chars;
}

/** byte -> its character. */
export const BYTE_TO_CHAR: readonly string[] = table();

const CHAR_TO_BYTE = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/** A byte-level token string -> its bytes, or undefined if a character is outside the alphabet. */
export function byteLevelBytes(token: string): Uint8Array | undefined {
  const out: number[] = [];
  for (const c of token) {
    const b = CHAR_TO_BYTE.get(c);
    if (b === undefined) return undefined;
    out.push(b);
  }
  return Uint8Array.from(out);
}

/** Bytes -> their byte-level string. */
export function byteLevelString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += BYTE_TO_CHAR[b];
  return s;
}
