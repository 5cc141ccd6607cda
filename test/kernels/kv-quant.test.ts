import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng, randomNormalArray } from '../../core/rng.js';
import {
  ggmlQuantizeCopy, kiviKeysTokens, kiviQuantizeCopy, kiviQuantizedCounts, kiviValuesTokens, q4_0Block, q8_0Block, quantizeGgmlTokens, roundToFp16, type KvShape,
} from '../../kernels/kv-quant.js';

const test = suite('kernels/kv-quant');

const block = (head: readonly number[]): Float32Array => {
  const x = new Float32Array(32);
  x.set(head);
  return x;
};

test('roundToFp16: ties to even, overflow, subnormals (IEEE binary16, as ggml_compute_fp32_to_fp16)', () => {
  assert.is(roundToFp16(1 + 2 ** -11), 1, 'tie between 1 and 1+2^-10 goes to the even 1');
  assert.is(roundToFp16(1 + 3 * 2 ** -11), 1 + 2 ** -9, 'tie goes to the even neighbour above');
  assert.is(roundToFp16(0.1), 0.0999755859375);
  assert.is(roundToFp16(65504), 65504);
  assert.is(roundToFp16(65519), 65504);
  assert.is(roundToFp16(65520), Infinity);
  assert.is(roundToFp16(-(2 ** -24)), -(2 ** -24), 'smallest subnormal');
  assert.is(roundToFp16(2 ** -25), 0, 'half the smallest subnormal ties to 0');
  assert.is(roundToFp16(3 * 2 ** -25), 2 ** -23, '1.5 subnormal steps ties to 2');
  assert.is(roundToFp16(0), 0);
  // numpy 1.x: float(np.float16(np.float32(x))) for seeded values across the normal and subnormal range
  const xs = [-0.08019313961267471, -0.013243589550256729, -2.4836162992869504e-6, 4.204452466183284e-7, 1.1360465350662707e-6, 1.0970639863217002e-7, 1.0000000116860974e-7, 6.0999998822808266e-5, 3.299999889350147e-6, 60000.69921875];
  const numpy = [-0.0802001953125, -0.01324462890625, -2.5033950805664062e-6, 4.172325134277344e-7, 1.1324882507324219e-6, 1.1920928955078125e-7, 1.1920928955078125e-7, 6.097555160522461e-5, 3.2782554626464844e-6, 60000.0];
  assert.equal(xs.map(roundToFp16), numpy);
});

test('q8_0: d = amax/127, q = roundf(x/d) (half away from zero), scale stored fp16', () => {
  // amax 127: d = 1, so x̂ = roundf(x); Math.round would send −0.5 to −0 and −1.5 to −1
  const x = block([127, -127, 0.5, -0.5, 1.5, -1.5, 2.25, -2.75]);
  q8_0Block(x, 0);
  assert.equal([...x.slice(0, 8)], [127, -127, 1, -1, 2, -2, 2, -3]);
  assert.equal([...x.slice(8)], new Array(24).fill(0));
  // amax 1: d = 1/127 = 0.0078740157…, fp16(d) = 1032·2^-17 = 0.00787353515625, so 1 → 127·fp16(d)
  const y = block([1, -0.5, 0.25]);
  q8_0Block(y, 0);
  assert.equal([...y.slice(0, 3)], [127 * 0.00787353515625, -64 * 0.00787353515625, 32 * 0.00787353515625]);
  const z = new Float32Array(32);
  q8_0Block(z, 0);
  assert.ok(z.every((v) => v === 0), 'an all-zero block stays zero (id = 0)');
});

test('q4_0: d = (value of largest |x|)/−8, q = min(15, (int8)(x/d + 8.5)), x̂ = (q − 8)·d', () => {
  // largest |x| is −8: d = 1
  const x = block([-8, 7, 8, 0.5, -0.5, 1.49, -3.7, 2.5]);
  q4_0Block(x, 0);
  // 8 (tied |x|, not the first) clamps to 15 → 7; 0.5 → 9 → 1; −0.5 → 8 → 0; −3.7 → 4.8 → 4 → −4
  assert.equal([...x.slice(0, 8)], [-8, 7, 7, 1, 0, 1, -4, 3]);
  // largest |x| is +8: d = −1, so −8 is the value that clamps (to −7)
  const y = block([8, -8, 3, -3.2]);
  q4_0Block(y, 0);
  assert.equal([...y.slice(0, 4)], [8, -7, 3, -3]);
});

test('q8_0/q4_0 round trip: per-block error bounds, token range only, deterministic', () => {
  const shape: KvShape = { batch: 2, heads: 3, seq: 10, headDim: 64 };
  const data = randomNormalArray(createRng(7), 2 * 3 * 10 * 64);
  for (const [type, bound] of [['q8_0', 1 / 254 + 1 / 2048], ['q4_0', 1 / 8 + 1 / 1024]] as const) {
    const { data: q, error } = ggmlQuantizeCopy(data, shape, type);
    for (let b = 0; b < q.length; b += 32) {
      let amax = 0;
      for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(data[b + j]));
      for (let j = 0; j < 32; j++) assert.ok(Math.abs(data[b + j] - q[b + j]) <= amax * bound, `${type} block ${b / 32}`);
    }
    console.log(`${type}: max abs error ${error.maxAbsError.toExponential(3)}, rel Frobenius ${error.relFrobeniusError.toExponential(3)} on N(0,1)`);
    assert.ok(error.relFrobeniusError < (type === 'q8_0' ? 0.01 : 0.12));
    assert.equal(ggmlQuantizeCopy(data, shape, type).data, q, 'deterministic');
    const part = data.slice();
    quantizeGgmlTokens(part, shape, 3, 5, type);
    for (let i = 0; i < part.length; i++) {
      const t = Math.floor(i / 64) % 10;
      assert.is(part[i], t >= 3 && t < 5 ? q[i] : data[i], `element ${i} (token ${t})`);
    }
  }
  assert.throws(() => quantizeGgmlTokens(new Float32Array(48), { batch: 1, heads: 1, seq: 1, headDim: 48 }, 0, 1, 'q8_0'), /multiple of 32/);
});

test('KIVI schedule: keys leave the residual a whole window at a time, values one token at a time', () => {
  const p = { group: 32, residual: 32 };
  assert.equal([31, 32, 33, 63, 64, 100].map((n) => kiviQuantizedCounts(n, p)), [
    { keys: 0, values: 0 }, { keys: 32, values: 0 }, { keys: 32, values: 1 }, { keys: 32, values: 31 }, { keys: 64, values: 32 }, { keys: 96, values: 68 },
  ]);
  assert.equal(kiviQuantizedCounts(40, { group: 16, residual: 0 }), { keys: 32, values: 40 });
});

test('KIVI 2-bit: keys per channel over token groups, values per token over channel groups, residual exact', () => {
  const shape: KvShape = { batch: 1, heads: 2, seq: 80, headDim: 16 };
  const rng = createRng(11);
  const keys = randomNormalArray(rng, 2 * 80 * 16);
  const values = randomNormalArray(rng, 2 * 80 * 16);
  const p = { group: 8, residual: 32 };
  const { keys: k, values: v, keyError, valueError } = kiviQuantizeCopy(keys, values, shape, p);
  const n = kiviQuantizedCounts(80, p);
  assert.equal(n, { keys: 64, values: 48 });
  const at = (h: number, t: number, c: number): number => (h * 80 + t) * 16 + c;
  for (let h = 0; h < 2; h++) {
    // key groups: channel c over tokens [g, g+8): at most 4 levels, error ≤ half a step (+ fp16 of zero and scale)
    for (let g = 0; g < 64; g += 8) {
      for (let c = 0; c < 16; c++) {
        const xs = Array.from({ length: 8 }, (_, i) => keys[at(h, g + i, c)]);
        const qs = Array.from({ length: 8 }, (_, i) => k[at(h, g + i, c)]);
        const lo = Math.min(...xs);
        const hi = Math.max(...xs);
        assert.ok(new Set(qs).size <= 4, 'four levels');
        for (let i = 0; i < 8; i++) assert.ok(Math.abs(xs[i] - qs[i]) <= (hi - lo) / 6 + 4 * 2 ** -11 * (Math.abs(lo) + Math.abs(hi)), `key h${h} t${g + i} c${c}`);
      }
    }
    for (let t = 64; t < 80; t++) for (let c = 0; c < 16; c++) assert.is(k[at(h, t, c)], keys[at(h, t, c)], 'key residual exact');
    for (let t = 0; t < 80; t++) {
      for (let c0 = 0; c0 < 16; c0 += 8) {
        const qs = Array.from({ length: 8 }, (_, i) => v[at(h, t, c0 + i)]);
        const xs = Array.from({ length: 8 }, (_, i) => values[at(h, t, c0 + i)]);
        if (t < 48) assert.ok(new Set(qs).size <= 4, `value token ${t} four levels`);
        else assert.equal(qs, xs, `value residual token ${t} exact`);
      }
    }
  }
  console.log(`kivi2 G=8 R=32: keys rel Frobenius ${keyError.relFrobeniusError.toFixed(4)}, values ${valueError.relFrobeniusError.toFixed(4)}`);
  assert.ok(keyError.relFrobeniusError > 0.05 && keyError.relFrobeniusError < 0.5);
  assert.equal(kiviQuantizeCopy(keys, values, shape, p).keys, k, 'deterministic');
  // in steps, the same groups: quantizing [0, 32) then [32, 64) equals [0, 64) at once
  const stepped = keys.slice();
  kiviKeysTokens(stepped, shape, 0, 32, 8);
  kiviKeysTokens(stepped, shape, 32, 64, 8);
  assert.equal(stepped, k);
  const sv = values.slice();
  for (let t = 0; t < 48; t++) kiviValuesTokens(sv, shape, t, t + 1, 8);
  assert.equal(sv, v);
});

test.run();
