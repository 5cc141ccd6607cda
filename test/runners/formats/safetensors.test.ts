import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { float32ToBf16Bits, float32ToHalfBits, openCheckpoint, openSafetensors, toFloat32, writeSafetensors } from '../../../runners/formats/safetensors/index.js';
import { tempDir } from '../fixtures.js';
import { fixtureDir } from '../import/hf-reference.js';

const test = suite('runners/formats/safetensors');

function throwsInput(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, pattern);
    assert.not.match((e as Error).message, /\n/);
    return;
  }
  assert.unreachable(`expected an InputError matching ${pattern}`);
}

/** A file with the given raw header JSON text and `dataBytes` zero bytes after it. */
function rawFile(dir: string, name: string, header: string, dataBytes: number): string {
  const json = Buffer.from(header, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([len, json, Buffer.alloc(dataBytes)]));
  return path;
}

test('bf16 and fp16 encoders round to nearest even, as torch does', () => {
  // bf16 = the top 16 bits of a float32
  assert.is(float32ToBf16Bits(1), 0x3f80);
  assert.is(float32ToBf16Bits(-2), 0xc000);
  assert.is(float32ToBf16Bits(1 + 2 ** -8), 0x3f80, 'halfway rounds to the even mantissa');
  assert.is(float32ToBf16Bits(1 + 3 * 2 ** -8), 0x3f82, 'halfway rounds up to even');
  // IEEE half: 1/3 -> 0x3555, 65504 is the largest finite, 2^-24 the smallest subnormal
  assert.is(float32ToHalfBits(1 / 3), 0x3555);
  assert.is(float32ToHalfBits(65504), 0x7bff);
  assert.is(float32ToHalfBits(1e6), 0x7c00);
  assert.is(float32ToHalfBits(2 ** -24), 0x0001);
  assert.is(float32ToHalfBits(-1.5), 0xbe00);
  assert.equal([...toFloat32(Uint8Array.of(0x80, 0x3f, 0x00, 0xc0), 'BF16', 2)], [1, -2]);
  assert.equal([...toFloat32(Uint8Array.of(0x55, 0x35, 0x00, 0xbe), 'F16', 2)], [Math.fround(0.333251953125), -1.5]);
});

test('write then read: F32 exact, F16/BF16 within their rounding', () => {
  const dir = tempDir('st');
  const values = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3);
  for (const [dtype, tol] of [['F32', 0], ['F16', 2e-3], ['BF16', 2e-2]] as const) {
    const path = join(dir, `${dtype}.safetensors`);
    writeSafetensors(path, [{ name: 'w', shape: [4, 6], values }, { name: 'b', shape: [2], values: Float32Array.of(1, -1) }], dtype);
    const f = openSafetensors(path);
    try {
      assert.equal(f.entries.get('w')!.shape, [4, 6]);
      assert.is(f.entries.get('w')!.dtype, dtype);
      assert.is(f.metadata.format, 'pt');
      const got = f.readFloat32('w');
      for (let i = 0; i < values.length; i++) assert.ok(Math.abs(got[i] - values[i]) <= tol * Math.abs(values[i]) + 1e-7, `${dtype} ${i}`);
      assert.equal([...f.readFloat32('b')], [1, -1]);
    } finally {
      f.close();
    }
  }
});

test('a sharded checkpoint: every tensor of the index, from its shard', () => {
  const ckpt = openCheckpoint(fixtureDir('llama-bf16'));
  try {
    assert.equal(ckpt.files, ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    assert.is(ckpt.entries.size, 2 * 16 + 2, 'per layer 2 norms + 7 projections with biases; embedding, final norm (tied: no lm_head)');
    assert.is(ckpt.entries.get('model.embed_tokens.weight')!.dtype, 'BF16');
    const w = ckpt.readFloat32('model.norm.weight');
    assert.is(w.length, 32);
    // bf16 values have zero low mantissa bits once widened
    for (const v of w) assert.is(new Uint32Array(Float32Array.of(v).buffer)[0] & 0xffff, 0);
  } finally {
    ckpt.close();
  }
});

test('damaged files and indexes: one-line InputErrors naming the file', () => {
  const dir = tempDir('st-bad');
  writeFileSync(join(dir, 'short.safetensors'), 'abc');
  throwsInput(() => openSafetensors(join(dir, 'short.safetensors')), /short\.safetensors: 3 bytes is too short/);
  const empty = openSafetensors(rawFile(dir, 'empty.safetensors', '{}', 0));
  assert.is(empty.entries.size, 0, 'no tensors is a valid file');
  empty.close();
  const huge = Buffer.alloc(16);
  huge.writeBigUInt64LE(10n ** 12n);
  writeFileSync(join(dir, 'huge.safetensors'), huge);
  throwsInput(() => openSafetensors(join(dir, 'huge.safetensors')), /header length 1000000000000 exceeds the file/);
  throwsInput(() => openSafetensors(rawFile(dir, 'json.safetensors', '{"a": ', 0)), /header is not UTF-8 JSON/);
  throwsInput(() => openSafetensors(rawFile(dir, 'dtype.safetensors', '{"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,2]}}', 2)), /entry 'w' has unknown dtype "Q4"/);
  throwsInput(() => openSafetensors(rawFile(dir, 'range.safetensors', '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', 4)), /outside the 4 data bytes/);
  throwsInput(() => openSafetensors(rawFile(dir, 'size.safetensors', '{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', 8)), /holds 8 bytes but shape \[3\] of F32 needs 12/);
  const int = openSafetensors(rawFile(dir, 'int.safetensors', '{"w":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}}', 2));
  throwsInput(() => int.readFloat32('w'), /tensor 'w' is I8; only F32, F16, BF16 and F64 weights convert/);
  int.close();

  throwsInput(() => openCheckpoint(dir), /has no model\.safetensors or model\.safetensors\.index\.json/);
  const sharded = join(dir, 'sharded');
  mkdirSync(sharded);
  writeSafetensors(join(sharded, 'a.safetensors'), [{ name: 'x', shape: [1], values: Float32Array.of(1) }]);
  const index = (map: Record<string, string>): void => writeFileSync(join(sharded, 'model.safetensors.index.json'), JSON.stringify({ weight_map: map }));
  index({ x: '../a.safetensors' });
  throwsInput(() => openCheckpoint(sharded), /names shard "\.\.\/a\.safetensors"; shards must be plain file names/);
  index({ x: 'b.safetensors' });
  throwsInput(() => openCheckpoint(sharded), /shard b\.safetensors is missing/);
  index({ x: 'a.safetensors', y: 'a.safetensors' });
  throwsInput(() => openCheckpoint(sharded), /tensor 'y' is not in .*a\.safetensors; the index and shards disagree/);
  index({});
  writeFileSync(join(sharded, 'model.safetensors.index.json'), '{"metadata": {}}');
  throwsInput(() => openCheckpoint(sharded), /no weight_map object/);
});

test.run();
