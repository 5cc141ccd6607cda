import { InputError } from '../../../core/errors.js';
import { OnnxDataType } from './onnx-proto.js';
import type { Int64, OnnxTensor } from './onnx-types.js';

/** Where a tensor's values live: `raw` (raw_data), `typed` (float_data etc.) or an `external` file. */
export type TensorStorage = 'raw' | 'typed' | 'external';

/** An int64 protobuf field as a JS number (exact below 2^53, which covers dims and offsets). */
export function int64ToNumber(v: Int64): number {
  return typeof v === 'number' ? v : v.toNumber();
}

/** The tensor's ONNX data type code (0 when unset). */
export function tensorDataType(t: OnnxTensor): number {
  return t.data_type ?? 0;
}

/** Where the tensor's values are stored. */
export function tensorStorage(t: OnnxTensor): TensorStorage {
  if (t.data_location === 1 || (t.external_data ?? []).length > 0) return 'external';
  if (t.raw_data && t.raw_data.length > 0) return 'raw';
  return 'typed';
}

/** Number of elements of a tensor (product of its dims; 1 for a scalar). */
export function tensorElementCount(t: OnnxTensor): number {
  return (t.dims ?? []).map(int64ToNumber).reduce((a, b) => a * b, 1);
}

/** IEEE half (bits) -> float32 value. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Little-endian bytes of `count` elements of `dataType` -> a fresh Float32Array.
 * The bytes are copied first: protobuf `raw_data` is usually not 4-byte aligned.
 */
export function bytesToFloat32(bytes: Uint8Array, dataType: number, count: number, name: string): Float32Array {
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  const view = new DataView(aligned.buffer);
  const width = bytesPerElement(dataType, name);
  if (bytes.length !== count * width) {
    throw new InputError(`initializer '${name}' holds ${bytes.length} bytes, expected ${count} × ${width}; the model file is damaged`);
  }
  if (dataType === OnnxDataType.FLOAT) return new Float32Array(aligned.buffer, 0, count);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (dataType === OnnxDataType.FLOAT16) out[i] = halfToFloat(view.getUint16(2 * i, true));
    else if (dataType === OnnxDataType.BFLOAT16) out[i] = new Float32Array(new Uint32Array([view.getUint16(2 * i, true) << 16]).buffer)[0];
    else out[i] = view.getFloat64(8 * i, true);
  }
  return out;
}

function bytesPerElement(dataType: number, name: string): number {
  switch (dataType) {
    case OnnxDataType.FLOAT:
      return 4;
    case OnnxDataType.FLOAT16:
    case OnnxDataType.BFLOAT16:
      return 2;
    case OnnxDataType.DOUBLE:
      return 8;
    default:
      throw new InputError(`initializer '${name}' has ONNX data type ${dataType}; only float32/float16/bfloat16/double convert to float32`);
  }
}

/** Values kept in the typed repeated fields (float_data, double_data, int32_data for half types) -> Float32Array. */
export function typedFieldsToFloat32(t: OnnxTensor, count: number): Float32Array {
  const name = t.name ?? '';
  const dt = tensorDataType(t);
  let out: Float32Array;
  if (dt === OnnxDataType.FLOAT) out = Float32Array.from(t.float_data ?? []);
  else if (dt === OnnxDataType.DOUBLE) out = Float32Array.from(t.double_data ?? []);
  else if (dt === OnnxDataType.FLOAT16) out = Float32Array.from(t.int32_data ?? [], halfToFloat);
  else if (dt === OnnxDataType.BFLOAT16) out = Float32Array.from(t.int32_data ?? [], (b) => bytesToFloat32(new Uint8Array([b & 0xff, b >> 8]), dt, 1, name)[0]);
  else throw new InputError(`initializer '${name}' has ONNX data type ${dt}; only float32/float16/bfloat16/double convert to float32`);
  if (out.length !== count) throw new InputError(`initializer '${name}' holds ${out.length} values, expected ${count}; the model file is damaged`);
  return out;
}
