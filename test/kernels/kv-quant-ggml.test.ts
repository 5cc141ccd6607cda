/**
 * q8_0/q4_0 against ggml itself: llama.cpp's quantize_row_*_ref and dequantize_row_* from the
 * libggml-base.so that node-llama-cpp ships, called through koffi. Skipped where that
 * binary is absent (another platform).
 */
import { existsSync } from 'node:fs';
import koffi from 'koffi';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../core/paths.js';
import { createRng } from '../../core/rng.js';
import { ggmlQuantizeCopy, type GgmlKvType } from '../../kernels/kv-quant.js';

const test = suite('kernels/kv-quant-ggml');

const LIB = packagePath('node_modules', '@node-llama-cpp', 'linux-x64', 'bins', 'linux-x64', 'libggml-base.so');

/** Bytes per block of 32: fp16 scale + 32 int8 (q8_0) or 16 bytes of nibbles (q4_0). */
const BLOCK_BYTES: Record<GgmlKvType, number> = { q8_0: 34, q4_0: 18 };

test('q8_0 and q4_0 round trips equal ggml bit for bit on 512 blocks (scales 1e-6..1e4, ties, zeros, outliers)', () => {
  if (!existsSync(LIB)) {
    console.log(`SKIP kv-quant-ggml: ${LIB} not found`);
    return;
  }
  const lib = koffi.load(LIB);
  const rng = createRng(21);
  const blocks = 512;
  const x = new Float32Array(blocks * 32);
  for (let b = 0; b < blocks; b++) {
    const scale = 10 ** (-6 + (10 * b) / blocks);
    for (let j = 0; j < 32; j++) x[b * 32 + j] = rng.normal() * scale;
    // ties of x/d at .5 (amax 127 gives d = 1), an all-zero block, one outlier
    if (b % 17 === 0) for (let j = 0; j < 32; j++) x[b * 32 + j] = j === 0 ? 127 : (j % 9) - 4.5;
    if (b === 5) x.fill(0, b * 32, b * 32 + 32);
    if (b % 23 === 0) x[b * 32 + 7] *= 40;
  }
  for (const type of ['q8_0', 'q4_0'] as const) {
    const quantize = lib.func(`void quantize_row_${type}_ref(const float *x, _Out_ uint8_t *y, int64_t k)`);
    const dequantize = lib.func(`void dequantize_row_${type}(const uint8_t *x, _Out_ float *y, int64_t k)`);
    const packed = new Uint8Array(blocks * BLOCK_BYTES[type]);
    const ggml = new Float32Array(x.length);
    quantize(x, packed, x.length);
    dequantize(packed, ggml, x.length);
    const ours = ggmlQuantizeCopy(x, { batch: 1, heads: 1, seq: blocks, headDim: 32 }, type).data;
    let differ = 0;
    for (let i = 0; i < x.length; i++) if (!Object.is(ours[i], ggml[i]) && !(ours[i] === 0 && ggml[i] === 0)) differ++;
    assert.is(differ, 0, `${type}: ${differ} of ${x.length} values differ from ggml`);
  }
});

test.run();
