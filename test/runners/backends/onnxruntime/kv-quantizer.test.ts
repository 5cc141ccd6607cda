import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import { createRng, randomNormalArray } from '../../../../core/rng.js';
import { ggmlQuantizeCopy, kiviQuantizeCopy } from '../../../../kernels/index.js';
import type { KvCache } from '../../../../runners/backends/onnxruntime/kv-cache.js';
import { KvQuantizer, resolveKvCache, type KvCacheOption } from '../../../../runners/backends/onnxruntime/kv-quantizer.js';

const test = suite('runners/kv-quantizer');

/** The first `length` tokens of (batch, heads, seq, headDim) `full`, as a cache would hold them. */
function prefix(full: Float32Array, batch: number, heads: number, seq: number, headDim: number, length: number): Float32Array {
  const out = new Float32Array(batch * heads * length * headDim);
  for (let r = 0; r < batch * heads; r++) out.set(full.subarray(r * seq * headDim, (r * seq + length) * headDim), r * length * headDim);
  return out;
}

test('stepping a growing cache gives the whole-tensor quantization (q8_0, q4_0, kivi2); afterStep says when the new token was quantized', () => {
  const [batch, heads, seq, headDim] = [2, 2, 70, 32];
  const rng = createRng(3);
  const K = randomNormalArray(rng, batch * heads * seq * headDim);
  const V = randomNormalArray(rng, batch * heads * seq * headDim);
  const asCache = (k: Float32Array, v: Float32Array, length: number): KvCache => ({
    batch, heads, length, headDim, keys: [k], values: [v], mask: new Uint8Array(batch * length).fill(1), realLengths: new Int32Array(batch).fill(length),
  });
  for (const option of [{ type: 'q8_0' }, { type: 'q4_0' }, { type: 'kivi2', group: 8, residual: 16 }, { type: 'kivi2', group: 8, residual: 0 }] as KvCacheOption[]) {
    const info = resolveKvCache(option, headDim, 'test');
    const quantizer = new KvQuantizer(info);
    let keys: Float32Array = new Float32Array(0);
    let values: Float32Array = new Float32Array(0);
    const selfQuantized: number[] = [];
    for (let length = 1; length <= seq; length++) {
      if (length > 1) quantizer.beforeStep(asCache(keys, values, length - 1));
      // like ORT's present = concat(past, new): earlier columns copied as they were
      const k = prefix(K, batch, heads, seq, headDim, length);
      const v = prefix(V, batch, heads, seq, headDim, length);
      for (let r = 0; r < batch * heads; r++) {
        k.set(keys.subarray(r * (length - 1) * headDim, (r + 1) * (length - 1) * headDim), r * length * headDim);
        v.set(values.subarray(r * (length - 1) * headDim, (r + 1) * (length - 1) * headDim), r * length * headDim);
      }
      if (quantizer.afterStep(asCache(k, v, length))) selfQuantized.push(length);
      keys = k;
      values = v;
    }
    const shape = { batch, heads, seq, headDim };
    const whole = option.type === 'kivi2'
      ? kiviQuantizeCopy(K, V, shape, { group: 8, residual: option.residual! })
      : { keys: ggmlQuantizeCopy(K, shape, option.type as 'q8_0').data, values: ggmlQuantizeCopy(V, shape, option.type as 'q8_0').data };
    const name = JSON.stringify(option);
    assert.equal(keys, whole.keys, `${name} keys`);
    assert.equal(values, whole.values, `${name} values`);
    // kivi2 R=16: only key flushes (every 16 tokens) take in the new token; R=0 quantizes every value at once
    const expected = option.type === 'kivi2' && option.residual === 16 ? [16, 32, 48, 64] : Array.from({ length: seq }, (_, i) => i + 1);
    assert.equal(selfQuantized, expected, name);
  }
});

test('resolveKvCache: defaults, and one-line InputErrors naming the field', () => {
  assert.equal(resolveKvCache({ type: 'kivi2' }, 32, 'x'), { type: 'kivi2', simulated: true, group: 32, residual: 32, selfRead: 'cache' });
  assert.equal(resolveKvCache({ type: 'q4_0', selfRead: 'fp32' }, 64, 'x'), { type: 'q4_0', simulated: true, group: 32, residual: 0, selfRead: 'fp32' });
  assert.equal(resolveKvCache({ type: 'f32' }, 48, 'x'), { type: 'f32', simulated: true, group: 0, residual: 0, selfRead: 'cache' });
  const bad: [unknown, number, RegExp][] = [
    ['q8_0', 32, /options\.kvCache must be an object/],
    [{ type: 'q3_k' }, 32, /options\.kvCache\.type must be one of f32, q8_0, q4_0, kivi2, got "q3_k"/],
    [{ type: 'q8_0' }, 48, /head_dim a multiple of 32/],
    [{ type: 'q8_0', group: 64 }, 32, /options\.kvCache\.group applies to kivi2 only/],
    [{ type: 'kivi2', group: 0 }, 32, /options\.kvCache\.group must be a positive integer/],
    [{ type: 'kivi2', group: 32, residual: 40 }, 32, /options\.kvCache\.residual must be 0 or a multiple of group 32/],
    [{ type: 'q8_0', selfRead: 'fp16' }, 32, /options\.kvCache\.selfRead must be 'cache' or 'fp32', got "fp16"/],
  ];
  for (const [option, headDim, message] of bad) {
    try {
      resolveKvCache(option, headDim, 'options.kvCache');
      assert.unreachable(JSON.stringify(option));
    } catch (e) {
      assert.instance(e, InputError);
      assert.match((e as Error).message, message);
    }
  }
});

test.run();
