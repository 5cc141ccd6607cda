import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kvBytesPerToken } from '../../kernels/kv-bytes.js';

const test = suite('kernels/kv-bytes');

test('teacher (4 layers, 8 KV heads, head_dim 32): bytes per token per form, by hand', () => {
  const teacher = { numLayers: 4, numKvHeads: 8, headDim: 32 };
  // 4 × 2 × 8 × 32 = 2048 elements per token
  assert.equal(kvBytesPerToken(teacher, 'fp32'), { bytesPerToken: 8192, residualWindowBytes: 0 });
  assert.equal(kvBytesPerToken(teacher, 'f16'), { bytesPerToken: 4096, residualWindowBytes: 0 });
  // 64 blocks of 32 × 34 bytes; 64 × 18 bytes
  assert.equal(kvBytesPerToken(teacher, 'q8_0'), { bytesPerToken: 2176, residualWindowBytes: 0 });
  assert.equal(kvBytesPerToken(teacher, 'q4_0'), { bytesPerToken: 1152, residualWindowBytes: 0 });
  // 2048 × 2 bits = 512 B + 64 groups × (fp16 scale + fp16 zero) = 256 B; residual 32 tokens × 8192 B
  assert.equal(kvBytesPerToken(teacher, 'kivi2'), { bytesPerToken: 768, residualWindowBytes: 262144 });
  assert.equal(kvBytesPerToken(teacher, 'kivi2', { group: 64, residual: 128 }), { bytesPerToken: 640, residualWindowBytes: 1048576 });
});

test.run();
