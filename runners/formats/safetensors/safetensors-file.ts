/**
 * One `.safetensors` file: an 8-byte little-endian header length N, N bytes of JSON
 * (`{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {..}}`, offsets
 * relative to the end of the header), then the raw little-endian tensor bytes. The header
 * is read and checked on open; a tensor's bytes are read only when asked for (positional
 * reads: the file is never loaded whole).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError, messageOf } from '../../../core/errors.js';
import { DTYPE_BYTES, isFloatDtype, toFloat32 } from './dtype.js';

/** Largest header accepted (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

/** Where one tensor sits in its file. */
export interface SafetensorsEntry {
  readonly name: string;
  /** safetensors dtype, e.g. `BF16`. */
  readonly dtype: string;
  /** Shape, outermost first ([] for a scalar). */
  readonly shape: readonly number[];
  /** Absolute byte offset of the first element in the file. */
  readonly offset: number;
  /** Byte length (elements × dtype width). */
  readonly byteLength: number;
}

/** An open safetensors file (close it when done). */
export interface SafetensorsFile {
  readonly path: string;
  /** Tensors in header order. */
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  /** `__metadata__` string pairs (e.g. `format: pt`). */
  readonly metadata: Readonly<Record<string, string>>;
  /** The tensor's raw bytes (a fresh buffer). */
  readBytes(name: string): Uint8Array;
  /** The tensor's values as float32 (F32/F16/BF16/F64); InputError for other dtypes. */
  readFloat32(name: string): Float32Array;
  /** Closes the file descriptor. */
  close(): void;
}

function readExactly(fd: number, length: number, position: number, path: string): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) throw new InputError(`${path}: file ends at byte ${position + done}, expected ${position + length}; the file is truncated, download it again`);
    done += n;
  }
  return out;
}

function checkEntry(name: string, raw: unknown, dataStart: number, dataBytes: number, path: string): SafetensorsEntry {
  const bad = (what: string): InputError => new InputError(`${path}: header entry '${name}' ${what}; the file is damaged or not safetensors`);
  if (typeof raw !== 'object' || raw === null) throw bad('is not an object');
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) throw bad(`has unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_BYTES).join(', ')})`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad('has no valid shape');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) throw bad('has no valid data_offsets');
  const [begin, end] = offsets as number[];
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  if (end < begin || end > dataBytes) throw bad(`has data_offsets [${begin}, ${end}] outside the ${dataBytes} data bytes`);
  if (end - begin !== elements * DTYPE_BYTES[dtype]) throw bad(`holds ${end - begin} bytes but shape [${shape.join(', ')}] of ${dtype} needs ${elements * DTYPE_BYTES[dtype]}`);
  return { name, dtype, shape: shape as number[], offset: dataStart + begin, byteLength: end - begin };
}

/** Opens and checks a safetensors file; every problem is an InputError naming the file. */
export function openSafetensors(path: string): SafetensorsFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(`cannot open ${path}: ${messageOf(e)}`);
  }
  try {
    const size = fstatSync(fd).size;
    if (size < 8) throw new InputError(`${path}: ${size} bytes is too short for a safetensors file (8-byte header length first)`);
    const headerBytes = Number(new DataView(readExactly(fd, 8, 0, path).buffer).getBigUint64(0, true));
    if (headerBytes > MAX_HEADER_BYTES || 8 + headerBytes > size) {
      throw new InputError(`${path}: header length ${headerBytes} exceeds the file (${size} bytes) or the ${MAX_HEADER_BYTES}-byte limit; the file is not safetensors`);
    }
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readExactly(fd, headerBytes, 8, path)));
    } catch (e) {
      throw new InputError(`${path}: the header is not UTF-8 JSON (${messageOf(e)}); the file is not safetensors`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new InputError(`${path}: the header is not a JSON object; the file is not safetensors`);
    const dataStart = 8 + headerBytes;
    const entries = new Map<string, SafetensorsEntry>();
    let metadata: Record<string, string> = {};
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') metadata = (raw ?? {}) as Record<string, string>;
      else entries.set(name, checkEntry(name, raw, dataStart, size - dataStart, path));
    }
    return makeFile(path, fd, entries, metadata);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

function makeFile(path: string, fd: number, entries: Map<string, SafetensorsEntry>, metadata: Record<string, string>): SafetensorsFile {
  const entry = (name: string): SafetensorsEntry => {
    const e = entries.get(name);
    if (!e) throw new InputError(`${path}: no tensor '${name}'`);
    return e;
  };
  const readBytes = (name: string): Uint8Array => {
    const e = entry(name);
    return readExactly(fd, e.byteLength, e.offset, path);
  };
  return {
    path,
    entries,
    metadata,
    readBytes,
    readFloat32(name) {
      const e = entry(name);
      if (!isFloatDtype(e.dtype)) throw new InputError(`${path}: tensor '${name}' is ${e.dtype}; only F32, F16, BF16 and F64 weights convert (a quantized checkpoint cannot be imported)`);
      return toFloat32(readBytes(name), e.dtype, e.byteLength / DTYPE_BYTES[e.dtype]);
    },
    close: () => closeSync(fd),
  };
}
