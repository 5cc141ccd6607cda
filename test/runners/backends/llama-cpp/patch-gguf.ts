/**
 * Test-only GGUF edits in place of a writer: a copy of a GGUF with some metadata values
 * replaced by values of the same byte length (a uint32 by a uint32, a string by one of the
 * same length), so every offset in the file stays valid.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readGgufFile } from '../../../../runners/formats/gguf/index.js';

/** One metadata edit: `key` gets `value` (a number for a uint32 key, a string of the same length for a string key). */
export interface GgufPatch {
  readonly key: string;
  readonly value: number | string;
}

const UINT32 = 4;
const STRING = 8;

/** Writes `src` with `patches` applied to `dst`. Throws when a key is missing or has another type/length. */
export function patchGguf(src: string, dst: string, patches: readonly GgufPatch[]): void {
  const bytes = readFileSync(src);
  for (const { key, value } of patches) {
    // a key is stored as uint64 length + bytes, then uint32 value type, then the value
    const name = Buffer.alloc(8 + key.length);
    name.writeBigUInt64LE(BigInt(key.length), 0);
    name.write(key, 8, 'utf8');
    const at = bytes.indexOf(name);
    if (at < 0) throw new Error(`${src}: no metadata key ${key}`);
    const typeAt = at + name.length;
    const type = bytes.readUInt32LE(typeAt);
    if (typeof value === 'number') {
      if (type !== UINT32) throw new Error(`${key} is type ${type}, not uint32`);
      bytes.writeUInt32LE(value, typeAt + 4);
    } else {
      if (type !== STRING) throw new Error(`${key} is type ${type}, not string`);
      const len = Number(bytes.readBigUInt64LE(typeAt + 4));
      if (Buffer.byteLength(value) !== len) throw new Error(`${key}: the new value must have ${len} bytes`);
      bytes.write(value, typeAt + 12, 'utf8');
    }
  }
  writeFileSync(dst, bytes);
}

/**
 * stories260K's trained weights regrouped into 2 query heads and 1 KV head of 32 dims
 * (same tensor shapes: q 64×64, k and v 64×32), so that llama.cpp's quantized KV caches,
 * whose blocks of 32 must divide the head size, can run on it. Not the trained model's
 * function, but trained weight statistics (peaked logits), unlike random weights.
 */
export const HEAD32_PATCHES: readonly GgufPatch[] = [
  { key: 'llama.attention.head_count', value: 2 },
  { key: 'llama.attention.head_count_kv', value: 1 },
  { key: 'llama.rope.dimension_count', value: 32 },
];

/** Writes `src` to `dst` with every float of F32 tensor `name` set to `value` (NaN makes a broken model). */
export function fillGgufTensor(src: string, dst: string, name: string, value: number): void {
  const file = readGgufFile(src);
  const tensor = file.tensors.find((t) => t.name === name);
  if (!tensor || tensor.type.name !== 'F32') throw new Error(`${src}: no F32 tensor ${name}`);
  const bytes = readFileSync(src);
  for (let at = tensor.offset; at < tensor.offset + tensor.bytes; at += 4) bytes.writeFloatLE(value, at);
  writeFileSync(dst, bytes);
}
