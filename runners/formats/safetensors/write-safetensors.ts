/**
 * Writes float32 tensors as a safetensors file (stored as F32, F16 or BF16), the layout
 * `safetensors.torch.save_file` produces: sorted-by-offset data, header padded with spaces
 * to a multiple of 8 bytes. Used to export an ONNX model's weights as a checkpoint and by tests.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { fromFloat32 } from './dtype.js';

/** One tensor to write. */
export interface TensorToWrite {
  readonly name: string;
  readonly shape: readonly number[];
  /** Row-major values (length = product of shape). */
  readonly values: Float32Array;
}

/** Writes `tensors` (in order) to `path` as `dtype`; `metadata` goes to `__metadata__`. */
export function writeSafetensors(path: string, tensors: readonly TensorToWrite[], dtype: 'F32' | 'F16' | 'BF16' = 'F32', metadata: Record<string, string> = { format: 'pt' }): void {
  const width = dtype === 'F32' ? 4 : 2;
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.values.length) throw new Error(`writeSafetensors: '${t.name}' has ${t.values.length} values for shape [${t.shape.join(', ')}]`);
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + width * count] };
    offset += width * count;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const jsonBytes = Buffer.from(json, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(jsonBytes.length));
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, length);
    writeSync(fd, jsonBytes);
    for (const t of tensors) writeSync(fd, fromFloat32(t.values, dtype));
  } finally {
    closeSync(fd);
  }
}
