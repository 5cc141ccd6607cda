import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseQuantLog } from '../../../../runners/compress/gguf/quant-log.js';

const test = suite('runners/compress/gguf/quant-log (llama.cpp quantization log)');

// Lines as llama.cpp v0.5.0 printed them quantizing stories260K to Q4_K_M with an imatrix.
const LOG = `llama_model_quantize_impl: have importance matrix data with 30 entries
warning: blk.0.attn_k.weight                  - ncols     64 not divisible by 256 (required for type    q4_K) -> falling back to    q5_0
warning: blk.0.ffn_down.weight                - ncols    172 not divisible by 256 (required for type    q4_K) (WARNING: must use F16 due to unusual shape) -> falling back to     f16
[   1/  48] output.weight                        - [    64,    512,      1,      1], type =    f32, 
====== llama_model_quantize_impl: did not find weights for output.weight
converting to q8_0 .. size =     0.12 MiB ->     0.03 MiB
[   2/  48] blk.0.attn_k.weight                  - [    64,     32,      1,      1], type =    f32, converting to q5_0 .. size =     0.01 MiB ->     0.00 MiB
[   3/  48] blk.0.attn_norm.weight               - [    64,      1,      1,      1], type =    f32, size =    0.000 MiB
[   4/  48] blk.0.ffn_down.weight                - [   172,     64,      1,      1], type =    f32, converting to f16 .. size =     0.04 MiB ->     0.02 MiB
llama_model_quantize_impl: WARNING: 2 of 48 tensor(s) required fallback quantization
`;

test('fallbacks, per-tensor conversions (also when split by an imatrix note) and counts', () => {
  const log = parseQuantLog(LOG);
  assert.equal(log.fallbacks, [
    { tensor: 'blk.0.attn_k.weight', ncols: 64, blockSize: 256, requestedType: 'Q4_K', fallbackType: 'Q5_0' },
    { tensor: 'blk.0.ffn_down.weight', ncols: 172, blockSize: 256, requestedType: 'Q4_K', fallbackType: 'F16' },
  ]);
  assert.is(log.reportedFallbacks, 2);
  assert.equal(log.tensors.get('output.weight'), { name: 'output.weight', sourceType: 'F32', convertedTo: 'Q8_0' });
  assert.equal(log.tensors.get('blk.0.attn_norm.weight'), { name: 'blk.0.attn_norm.weight', sourceType: 'F32' });
  assert.is(log.tensors.get('blk.0.ffn_down.weight')?.convertedTo, 'F16');
  assert.is(log.tensors.size, 4);
  assert.is(log.imatrixEntries, 30);
  assert.equal(log.imatrixMissing, ['output.weight']);
  assert.is(log.failure, undefined);
});

test('a failed call gives its reason; a clean log has no fallbacks', () => {
  const log = parseQuantLog('llama_model_quantize: failed to quantize: requantizing from type q8_0 is disabled\n');
  assert.is(log.failure, 'requantizing from type q8_0 is disabled');
  assert.is(log.reportedFallbacks, 0);
  assert.is(log.fallbacks.length, 0);
  assert.is(log.imatrixEntries, undefined);
});

test.run();
