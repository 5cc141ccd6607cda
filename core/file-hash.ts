/**
 * Hashing files of any size: read in pieces, so a weights file past Node's 2 GiB
 * `readFileSync` limit hashes like a small one.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

const PIECE_BYTES = 2 ** 24;

/** Feeds the bytes of file `path` to every hash of `hashes`, in 16 MiB pieces; returns the byte count. */
export function feedFile(path: string, ...hashes: Hash[]): number {
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    const buf = new Uint8Array(PIECE_BYTES);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      for (const h of hashes) h.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** sha256 (hex) of a file, read in pieces. */
export function fileSha256(path: string): string {
  const hash = createHash('sha256');
  feedFile(path, hash);
  return hash.digest('hex');
}
