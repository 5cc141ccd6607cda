/**
 * Writes a GGUF v3 file: header, metadata (every value kind, arrays included), tensor
 * infos, then each tensor's bytes at a 32-byte aligned offset. Tensors are given as raw
 * bytes of their ggml type (F32/F16 made by the caller, or pre-quantized blocks).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError } from '../../../core/errors.js';
import { ggmlTensorBytes, type GgmlTypeInfo } from './ggml-types.js';

/** GGUF metadata value kinds (gguf_type). */
export const GgufKind = { U8: 0, I8: 1, U16: 2, I16: 3, U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9, U64: 10, I64: 11, F64: 12 } as const;

/** A scalar kind (every kind but ARRAY). */
export type GgufScalarKind = Exclude<(typeof GgufKind)[keyof typeof GgufKind], 9>;

/** One metadata entry: a typed scalar, or an array of one scalar kind. */
export type GgufEntry =
  | { readonly kind: GgufScalarKind; readonly value: number | bigint | boolean | string }
  | { readonly kind: 9; readonly itemKind: GgufScalarKind; readonly values: readonly (number | bigint | boolean | string)[] };

/** One tensor to write. */
export interface GgufTensorOut {
  readonly name: string;
  /** ggml order: dims[0] is the contiguous (row) dimension. */
  readonly dims: readonly number[];
  readonly type: GgmlTypeInfo;
  readonly data: Uint8Array;
}

/** Alignment of tensor data (GGUF default). */
export const GGUF_ALIGNMENT = 32;

class Bytes {
  private readonly parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }
  num(kind: GgufScalarKind, v: number | bigint | boolean | string): void {
    if (kind === GgufKind.STRING) return this.str(String(v));
    const size = [1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8][kind];
    const b = Buffer.alloc(size);
    switch (kind) {
      case GgufKind.U8: b.writeUInt8(Number(v)); break;
      case GgufKind.I8: b.writeInt8(Number(v)); break;
      case GgufKind.U16: b.writeUInt16LE(Number(v)); break;
      case GgufKind.I16: b.writeInt16LE(Number(v)); break;
      case GgufKind.U32: b.writeUInt32LE(Number(v)); break;
      case GgufKind.I32: b.writeInt32LE(Number(v)); break;
      case GgufKind.F32: b.writeFloatLE(Number(v)); break;
      case GgufKind.BOOL: b.writeUInt8(v ? 1 : 0); break;
      case GgufKind.U64: b.writeBigUInt64LE(BigInt(v)); break;
      case GgufKind.I64: b.writeBigInt64LE(BigInt(v)); break;
      case GgufKind.F64: b.writeDoubleLE(Number(v)); break;
    }
    this.push(b);
  }
  u32(v: number): void { this.num(GgufKind.U32, v); }
  u64(v: number): void { this.num(GgufKind.U64, v); }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  concat(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

/** Writes `tensors` and `metadata` to `path` as GGUF v3 (general.alignment is set to 32). */
export function writeGgufFile(path: string, metadata: ReadonlyMap<string, GgufEntry>, tensors: readonly GgufTensorOut[]): void {
  const head = new Bytes();
  const meta = new Map(metadata);
  meta.set('general.alignment', { kind: GgufKind.U32, value: GGUF_ALIGNMENT });
  head.u32(0x46554747);
  head.u32(3);
  head.u64(tensors.length);
  head.u64(meta.size);
  for (const [key, e] of meta) {
    head.str(key);
    head.u32(e.kind);
    if (e.kind === GgufKind.ARRAY) {
      head.u32(e.itemKind);
      head.u64(e.values.length);
      for (const v of e.values) head.num(e.itemKind, v);
    } else head.num(e.kind, e.value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    const elements = t.dims.reduce((a, b) => a * b, 1);
    if (t.data.length !== ggmlTensorBytes(t.type, elements)) {
      throw new InputError(`GGUF writer: tensor '${t.name}' has ${t.data.length} bytes, ${t.type.name} ${t.dims.join('×')} needs ${ggmlTensorBytes(t.type, elements)}`);
    }
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(t.type.id);
    head.u64(offset);
    offsets.push(offset);
    offset = Math.ceil((offset + t.data.length) / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  const header = head.concat();
  const dataStart = Math.ceil(header.length / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    if (dataStart > header.length) writeSync(fd, new Uint8Array(dataStart - header.length));
    tensors.forEach((t, i) => writeSync(fd, t.data, 0, t.data.length, dataStart + offsets[i]));
    const end = dataStart + offset;
    const last = tensors.length ? dataStart + offsets[tensors.length - 1] + tensors[tensors.length - 1].data.length : dataStart;
    if (end > last) writeSync(fd, new Uint8Array(end - last), 0, end - last, last);
  } finally {
    closeSync(fd);
  }
}
