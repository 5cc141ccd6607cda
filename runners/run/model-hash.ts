import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * sha256 over a model folder's `onnx/` files (model.onnx and its external data, in
 * name order) and their total size: the model part of every cache key and record.
 */
export function hashModelFiles(onnxDir: string): { sha256: string; sizeBytes: number } {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const buf = Buffer.allocUnsafe(1 << 20);
  for (const name of readdirSync(onnxDir).sort()) {
    const path = join(onnxDir, name);
    if (!statSync(path).isFile()) continue;
    hash.update(`${name}\0`);
    const fd = openSync(path, 'r');
    try {
      for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
        hash.update(buf.subarray(0, n));
        sizeBytes += n;
      }
    } finally {
      closeSync(fd);
    }
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
