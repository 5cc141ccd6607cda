/**
 * Strict UTF-8 decoding for user files: invalid bytes are an error that names the file,
 * line and byte offset, never silently U+FFFD.
 */

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or −1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= bytes.length) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

/** Decodes `bytes` as UTF-8, or returns the one-line problem (`file:line: invalid UTF-8 at byte N`). */
export function decodeUtf8(bytes: Uint8Array, file: string): { readonly text: string } | { readonly problem: string } {
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) {
    const text = new TextDecoder('utf-8').decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  }
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bad; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const hex = bytes[bad].toString(16).padStart(2, '0');
  return { problem: `${file}:${line}: invalid UTF-8 (byte 0x${hex} at offset ${bad}, column ${bad - lineStart + 1}) — save the file as UTF-8` };
}
