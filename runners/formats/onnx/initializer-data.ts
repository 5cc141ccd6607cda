import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InputError, messageOf } from '../../../core/errors.js';
import { externalDataOf, resolveExternalPath } from './external-data.js';
import type { OnnxModel, OnnxTensor } from './onnx-types.js';
import { findInitializer } from './read-model.js';
import { bytesToFloat32, tensorDataType, tensorElementCount, typedFieldsToFloat32 } from './tensor-data.js';

/** The raw little-endian bytes of an externally stored tensor (read from its file, bounds-checked). */
export function readExternalBytes(t: OnnxTensor, modelPath: string, allowedRoot?: string): Uint8Array {
  let out: Uint8Array = new Uint8Array(0);
  // One piece as long as the tensor: the visitor's buffer is the fresh array returned.
  visitExternalBytes(t, modelPath, allowedRoot, Number.MAX_SAFE_INTEGER, (piece) => {
    out = piece;
  });
  return out;
}

/**
 * Visits the raw bytes of an externally stored tensor in pieces of `pieceBytes` (the last
 * may be shorter; every piece but the last is full), one reused buffer: a scan of a large
 * tensor holds one piece, not the tensor. Bounds-checked as {@link readExternalBytes}.
 */
export function visitExternalBytes(
  t: OnnxTensor, modelPath: string, allowedRoot: string | undefined, pieceBytes: number, visit: (piece: Uint8Array) => void,
): void {
  const ref = externalDataOf(t);
  if (!ref) throw new InputError(`tensor '${t.name ?? ''}' is not stored externally`);
  const file = resolveExternalPath(ref, modelPath, allowedRoot);
  let fd: number | undefined;
  try {
    const size = statSync(file).size;
    const length = ref.length ?? size - ref.offset;
    if (ref.offset + length > size) {
      throw new InputError(`${file}: tensor '${ref.tensorName}' needs bytes ${ref.offset}..${ref.offset + length} but the file has ${size}; the weights file is truncated`);
    }
    const buf = new Uint8Array(Math.min(pieceBytes, length));
    fd = openSync(file, 'r');
    for (let start = 0; start < length;) {
      const want = Math.min(buf.length, length - start);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buf, got, want - got, ref.offset + start + got);
        if (n === 0) throw new InputError(`${file}: tensor '${ref.tensorName}' ended early at byte ${ref.offset + start + got}; the weights file is truncated`);
        got += n;
      }
      visit(buf.subarray(0, want));
      start += want;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read external data ${file} of tensor '${ref.tensorName}': ${messageOf(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A tensor's values as a fresh Float32Array, wherever they are stored (raw_data, float_data, external file). */
export function tensorToFloat32(t: OnnxTensor, modelPath: string, allowedRoot?: string): Float32Array {
  const count = tensorElementCount(t);
  const name = t.name ?? '';
  if (externalDataOf(t)) return bytesToFloat32(readExternalBytes(t, modelPath, allowedRoot), tensorDataType(t), count, name);
  if (t.raw_data && t.raw_data.length > 0) return bytesToFloat32(t.raw_data, tensorDataType(t), count, name);
  return typedFieldsToFloat32(t, count);
}

/** The main graph's initializer `name` as a Float32Array (`modelPath` locates external data files). */
export function initializerFloat32(model: OnnxModel, name: string, modelPath: string, allowedRoot?: string): Float32Array {
  return tensorToFloat32(findInitializer(model, name), modelPath, allowedRoot);
}
