/**
 * One spilled activation X (T,K): a file of raw little-endian float32, row-major over the
 * calibration tokens. The reference is plain data, so a worker thread can read X itself
 * instead of receiving a copy.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InfraError } from '../../core/errors.js';

/** Where one captured input lies: `floats` = T × K values in `path`. */
export interface ActivationFile {
  readonly path: string;
  readonly floats: number;
  readonly T: number;
}

/** X (T,K) read from its file. */
export function readActivationFile(f: ActivationFile): { data: Float32Array; T: number; K: number } {
  const data = new Float32Array(f.floats);
  const bytes = new Uint8Array(data.buffer);
  const fd = openSync(f.path, 'r');
  try {
    for (let done = 0; done < bytes.length;) {
      const n = readSync(fd, bytes, done, bytes.length - done, done);
      if (n === 0) throw new InfraError(`activation capture: ${f.path} ended after ${done} of ${bytes.length} bytes`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return { data, T: f.T, K: f.floats / f.T };
}
