import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GgufKind, ggmlTypeByName, readGgufFile, readGgufTensorBytes, writeGgufFile, type GgufEntry } from '../../../../runners/formats/gguf/index.js';
import { tempDir } from '../../fixtures.js';

const test = suite('gguf writer');

test('every metadata kind and array round-trips through the reader; tensors sit 32-aligned', () => {
  const meta = new Map<string, GgufEntry>([
    ['u8', { kind: GgufKind.U8, value: 200 }], ['i8', { kind: GgufKind.I8, value: -100 }],
    ['u16', { kind: GgufKind.U16, value: 60000 }], ['i16', { kind: GgufKind.I16, value: -30000 }],
    ['u32', { kind: GgufKind.U32, value: 4000000000 }], ['i32', { kind: GgufKind.I32, value: -2000000000 }],
    ['f32', { kind: GgufKind.F32, value: 0.5 }], ['bool', { kind: GgufKind.BOOL, value: true }],
    ['str', { kind: GgufKind.STRING, value: 'héllo ▁' }], ['u64', { kind: GgufKind.U64, value: 2n ** 60n }],
    ['i64', { kind: GgufKind.I64, value: -5 }], ['f64', { kind: GgufKind.F64, value: 1 / 3 }],
    ['strs', { kind: GgufKind.ARRAY, itemKind: GgufKind.STRING, values: ['a', '', 'ü'] }],
    ['f32s', { kind: GgufKind.ARRAY, itemKind: GgufKind.F32, values: [1.5, -2] }],
    ['i32s', { kind: GgufKind.ARRAY, itemKind: GgufKind.I32, values: [] }],
  ]);
  const q4 = ggmlTypeByName('Q4_0')!, f32 = ggmlTypeByName('F32')!, f16 = ggmlTypeByName('F16')!;
  const blocks = Uint8Array.from({ length: 2 * 18 }, (_, i) => (i * 37) & 0xff);
  const tensors = [
    { name: 'a', dims: [3], type: f32, data: new Uint8Array(Float32Array.of(1, 2, 3).buffer) },
    { name: 'q', dims: [32, 2], type: q4, data: blocks },
    { name: 'h', dims: [1], type: f16, data: Uint8Array.of(0, 0x3c) },
  ];
  const file = join(tempDir('gguf-writer'), 'x.gguf');
  writeGgufFile(file, meta, tensors);
  const g = readGgufFile(file);
  assert.is(g.version, 3);
  const want: Record<string, unknown> = { u8: 200, i8: -100, u16: 60000, i16: -30000, u32: 4000000000, i32: -2000000000, f32: 0.5, bool: true, str: 'héllo ▁', u64: 2n ** 60n, i64: -5, f64: 1 / 3, strs: ['a', '', 'ü'], f32s: [1.5, -2], i32s: [], 'general.alignment': 32 };
  for (const [k, v] of Object.entries(want)) assert.equal(g.metadata.get(k), v, k);
  for (const t of tensors) {
    const info = g.tensors.find((x) => x.name === t.name)!;
    assert.is(info.offset % 32, 0, `${t.name} aligned`);
    assert.equal(info.dims, t.dims);
    assert.is(info.type.name, t.type.name);
    assert.equal(Array.from(readGgufTensorBytes(g, info)), Array.from(t.data), t.name);
  }
  assert.is(statSync(file).size % 32, 0, 'file padded to the alignment');
  assert.is(readFileSync(file).subarray(0, 4).toString('latin1'), 'GGUF');
});

test('a tensor whose byte count does not match its type and dims is refused', () => {
  const q4 = ggmlTypeByName('Q4_0')!;
  assert.throws(() => writeGgufFile(join(tempDir('gguf-writer'), 'y.gguf'), new Map(), [{ name: 'w', dims: [32, 2], type: q4, data: new Uint8Array(35) }]), /tensor 'w' has 35 bytes, Q4_0 32×2 needs 36/);
});

test.run();
