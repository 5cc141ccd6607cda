import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEQUANTIZERS, dequantizeTensor, ggmlTypeByName, f16ToF32, f32ToF16 } from '../../../../runners/formats/gguf/index.js';
import { InputError } from '../../../../core/errors.js';
import { ggmlOracle } from './ggml-oracle.js';

const test = suite('gguf dequantize');

/** Deterministic weights with outliers, so every scale path is used. */
function weights(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32 - 0.5;
    x[i] = u * (i % 97 === 0 ? 8 : 1) * (1 + (i >> 8) * 0.3);
  }
  return x;
}

test('Q4_0 on a hand-made block: (nibble − 8)·d, low nibbles first', () => {
  const block = new Uint8Array(18);
  block[0] = 0x00; block[1] = 0x38; // d = 0.5 (f16 0x3800)
  for (let j = 0; j < 16; j++) block[2 + j] = j | ((15 - j) << 4);
  const y = new Float32Array(32);
  DEQUANTIZERS.Q4_0(block, y);
  assert.equal(y[0], -4); assert.equal(y[15], 3.5); assert.equal(y[16], 3.5); assert.equal(y[31], -4);
});

test('Q8_0 on a hand-made block: int8·d', () => {
  const block = new Uint8Array(34);
  block[1] = 0x3c; // d = 1
  block[2] = 0xff; block[3] = 0x80; block[33] = 127;
  const y = new Float32Array(32);
  DEQUANTIZERS.Q8_0(block, y);
  assert.equal([y[0], y[1], y[31]], [-1, -128, 127]);
});

test('f16 round trip on every finite half', () => {
  for (let h = 0; h < 0x10000; h++) {
    if (((h >> 10) & 0x1f) === 31) continue;
    assert.is(f32ToF16(f16ToF32(h)), h === 0x8000 ? 0x8000 : h, `half ${h.toString(16)}`);
  }
  assert.is(f32ToF16(1 + 2 ** -11), 0x3c00, 'ties to even');
  assert.is(f32ToF16(1 + 3 * 2 ** -11), 0x3c02, 'ties to even (odd)');
});

test('codebook types are refused with the tensor named', () => {
  const iq = ggmlTypeByName('IQ2_XS')!;
  try {
    dequantizeTensor(iq, new Uint8Array(iq.typeSize), 'm.gguf', 'blk.0.attn_q.weight');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /blk\.0\.attn_q\.weight.*IQ2_XS.*not supported for import/);
  }
});

test('every dequantizer equals ggml\'s to_float bit for bit (ggml_quantize_chunk data)', async () => {
  const oracle = await ggmlOracle();
  if (!oracle) {
    console.log('SKIP ggml oracle: @node-llama-cpp/linux-x64 binaries not installed');
    return;
  }
  const nRows = 4, nPerRow = 512;
  const x = weights(nRows * nPerRow, 7);
  for (const name of Object.keys(DEQUANTIZERS)) {
    if (name === 'F32') continue;
    const type = ggmlTypeByName(name)!;
    const blocks = oracle.quantize(type.id, x, nRows, nPerRow, type.typeSize, type.blockSize);
    const want = oracle.dequantize(type.id, blocks, x.length);
    const got = dequantizeTensor(type, blocks, 't.gguf', name);
    let mismatches = 0;
    for (let i = 0; i < want.length; i++) if (!Object.is(want[i], got[i])) mismatches++;
    assert.is(mismatches, 0, `${name}: ${mismatches} of ${want.length} values differ from ggml`);
    // sanity that the data is a real quantization of x (not, e.g., all zeros on both sides)
    const maxAbs = Math.max(...Array.from(x, Math.abs));
    const err = Math.max(...Array.from(x, (v, i) => Math.abs(v - got[i])));
    assert.ok(err < 0.3 * maxAbs && got.some((v) => v !== 0), `${name} reconstruction error ${err} (max |x| ${maxAbs}) is implausible`);
  }
});

test.run();
