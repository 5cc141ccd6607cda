/**
 * Reads a GGUF file's header: version, metadata key/values and tensor infos with absolute
 * data offsets (GGUF v2/v3, little-endian). Every size is checked against the file, so a
 * truncated or foreign file fails with one line naming it, never a RangeError. Tensor data
 * is read on demand ({@link readGgufTensorBytes}), so multi-GB files are not loaded whole.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../../core/errors.js';
import { GGML_TYPES, ggmlTensorBytes, type GgmlTypeInfo } from './ggml-types.js';

/** A metadata value: scalars, strings, or arrays of them (bigint for 64-bit integers beyond 2^53). */
export type GgufValue = number | bigint | boolean | string | GgufValue[];

/** One tensor's description. */
export interface GgufTensorInfo {
  readonly name: string;
  /** ggml order: dims[0] is the contiguous (row) dimension. */
  readonly dims: readonly number[];
  readonly type: GgmlTypeInfo;
  /** Absolute byte offset of the data in the file. */
  readonly offset: number;
  readonly bytes: number;
}

/** A parsed GGUF header. */
export interface GgufFile {
  readonly path: string;
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: readonly GgufTensorInfo[];
  readonly alignment: number;
  /** Absolute offset where tensor data starts. */
  readonly dataOffset: number;
  readonly fileBytes: number;
}

const MAGIC = 0x46554747; // "GGUF" little-endian
const fix = 'check that it is a complete GGUF file (re-download or re-export it)';

/** Sequential reader over a file descriptor with a small buffer. */
class Cursor {
  pos = 0;
  constructor(
    private readonly fd: number,
    readonly size: number,
    private readonly path: string,
  ) {}
  bytes(n: number): Buffer {
    if (n < 0 || this.pos + n > this.size) {
      throw new InputError(`${this.path}: GGUF header runs past the end of the file at byte ${this.pos} (file is ${this.size} bytes): ${fix}`);
    }
    const b = Buffer.alloc(n);
    if (n > 0) readSync(this.fd, b, 0, n, this.pos);
    this.pos += n;
    return b;
  }
  u32(): number { return this.bytes(4).readUInt32LE(0); }
  u64(): number {
    const v = this.bytes(8).readBigUInt64LE(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new InputError(`${this.path}: GGUF count ${v} at byte ${this.pos - 8} is not a plausible size: ${fix}`);
    return Number(v);
  }
  str(): string {
    const n = this.u64();
    return this.bytes(n).toString('utf8');
  }
}

function readValue(c: Cursor, type: number, path: string, key: string): GgufValue {
  switch (type) {
    case 0: return c.bytes(1).readUInt8(0);
    case 1: return c.bytes(1).readInt8(0);
    case 2: return c.bytes(2).readUInt16LE(0);
    case 3: return c.bytes(2).readInt16LE(0);
    case 4: return c.bytes(4).readUInt32LE(0);
    case 5: return c.bytes(4).readInt32LE(0);
    case 6: return c.bytes(4).readFloatLE(0);
    case 7: return c.bytes(1).readUInt8(0) !== 0;
    case 8: return c.str();
    case 9: {
      const itemType = c.u32();
      const n = c.u64();
      if (n > c.size - c.pos) throw new InputError(`${path}: metadata array '${key}' claims ${n} items, more than the file holds: ${fix}`);
      const out: GgufValue[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readValue(c, itemType, path, key);
      return out;
    }
    case 10: { const v = c.bytes(8).readBigUInt64LE(0); return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v; }
    case 11: { const v = c.bytes(8).readBigInt64LE(0); return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v; }
    case 12: return c.bytes(8).readDoubleLE(0);
    default:
      throw new InputError(`${path}: metadata '${key}' has unknown GGUF value type ${type}: ${fix}`);
  }
}

function readMagic(fd: number): number {
  const b = Buffer.alloc(4);
  readSync(fd, b, 0, 4, 0);
  return b.readUInt32LE(0);
}

/** Parses the header of the GGUF file at `path` (InputError with the file named on any defect). */
export function readGgufFile(path: string): GgufFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(`${path}: cannot open GGUF file (${(e as NodeJS.ErrnoException).code ?? String(e)}): check the path`);
  }
  try {
    const size = fstatSync(fd).size;
    const c = new Cursor(fd, size, path);
    if (size >= 4 && size < 24 && readMagic(fd) === MAGIC) {
      throw new InputError(`${path}: GGUF file of ${size} bytes is shorter than a GGUF header (24 bytes), so it is truncated: ${fix}`);
    }
    if (size < 24 || c.u32() !== MAGIC) {
      throw new InputError(`${path}: not a GGUF file (no 'GGUF' magic at byte 0): give a .gguf model file (convert with llama.cpp's convert_hf_to_gguf.py or 'compbench export --gguf')`);
    }
    const version = c.u32();
    if (version !== 2 && version !== 3) {
      throw new InputError(`${path}: GGUF version ${version} is not supported (2 or 3): re-export the file with a current llama.cpp`);
    }
    const tensorCount = c.u64();
    const kvCount = c.u64();
    const metadata = new Map<string, GgufValue>();
    for (let i = 0; i < kvCount; i++) {
      const key = c.str();
      metadata.set(key, readValue(c, c.u32(), path, key));
    }
    const alignmentValue = metadata.get('general.alignment');
    const alignment = typeof alignmentValue === 'number' && alignmentValue > 0 ? alignmentValue : 32;
    const raw: { name: string; dims: number[]; typeId: number; rel: number }[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = c.str();
      const nDims = c.u32();
      if (nDims > 4) throw new InputError(`${path}: tensor '${name}' has ${nDims} dimensions (GGUF allows ≤ 4): ${fix}`);
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) dims.push(c.u64());
      raw.push({ name, dims, typeId: c.u32(), rel: c.u64() });
    }
    const dataOffset = Math.ceil(c.pos / alignment) * alignment;
    const tensors = raw.map((r): GgufTensorInfo => {
      const type = GGML_TYPES.get(r.typeId);
      if (!type) throw new InputError(`${path}: tensor '${r.name}' has ggml type ${r.typeId}, unknown to this compbench: use a file with standard llama.cpp types (F32, F16, BF16, Q4_0 … Q8_0, K-quants, IQ*)`);
      const elements = r.dims.reduce((a, b) => a * b, 1);
      if (elements % type.blockSize !== 0) throw new InputError(`${path}: tensor '${r.name}' (${type.name}) has ${elements} elements, not a multiple of its block ${type.blockSize}: ${fix}`);
      const bytes = ggmlTensorBytes(type, elements);
      const offset = dataOffset + r.rel;
      if (offset + bytes > size) {
        throw new InputError(`${path}: tensor '${r.name}' ends at byte ${offset + bytes} but the file has ${size} bytes (truncated): ${fix}`);
      }
      return { name: r.name, dims: r.dims, type, offset, bytes };
    });
    return { path, version, metadata, tensors, alignment, dataOffset, fileBytes: size };
  } finally {
    closeSync(fd);
  }
}

/** Reads one tensor's raw bytes (a fresh, aligned buffer). */
export function readGgufTensorBytes(file: GgufFile, tensor: GgufTensorInfo): Uint8Array {
  const out = new Uint8Array(tensor.bytes);
  const fd = openSync(file.path, 'r');
  try {
    let done = 0;
    while (done < out.length) {
      const n = readSync(fd, out, done, out.length - done, tensor.offset + done);
      if (n === 0) throw new InputError(`${file.path}: tensor '${tensor.name}' is cut short (truncated file): ${fix}`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** A metadata string, or undefined when absent or not a string. */
export function ggufString(file: GgufFile, key: string): string | undefined {
  const v = file.metadata.get(key);
  return typeof v === 'string' ? v : undefined;
}

/** A metadata number, or undefined when absent or not a number. */
export function ggufNumber(file: GgufFile, key: string): number | undefined {
  const v = file.metadata.get(key);
  return typeof v === 'number' ? v : undefined;
}
