import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import {
  checkReleases, defaultsMismatches, EXPECTED_DEFAULTS, EXPECTED_LAYOUT, llamaQuantize, nodeLlamaCppPaths,
} from '../../../../runners/compress/gguf/llama-quantize.js';
import { tempDir } from '../../fixtures.js';

const test = suite('runners/compress/gguf/llama-quantize (koffi binding, pinned layout)');

test('struct size and offsets match llama.h of llama.cpp v0.5.0 (x86-64)', () => {
  const lib = llamaQuantize();
  // 4 × int32 (16) + 6 bools (22) padded to 24, 4 pointers (56), size_t (64); imatrix entry: 2 pointers + size_t.
  assert.equal(lib.layout, { size: 64, imatrix: 24, max_buf_size: 56, imatrixEntrySize: 24 });
  assert.equal(lib.layout, { ...EXPECTED_LAYOUT });
  assert.equal(lib.versions, { nodeLlamaCpp: '3.22.1', llamaCpp: 'v0.5.0' });
});

test('every default field decodes to llama_model_quantize_default_params() of src/llama-quant.cpp', () => {
  const d = llamaQuantize().defaults();
  assert.is(d.nthread, 0);
  assert.is(d.ftype, 7); // LLAMA_FTYPE_MOSTLY_Q8_0
  assert.is(d.output_tensor_type, 43); // GGML_TYPE_COUNT
  assert.is(d.token_embedding_type, 43);
  assert.is(d.allow_requantize, false);
  assert.is(d.quantize_output_tensor, true);
  assert.is(d.only_copy, false);
  assert.is(d.pure, false);
  assert.is(d.keep_split, false);
  assert.is(d.dry_run, false);
  assert.is(d.imatrix, null);
  assert.is(d.kv_overrides, null);
  assert.is(d.tt_overrides, null);
  assert.is(d.prune_layers, null);
  assert.is(Number(d.max_buf_size), 8 * 1024 ** 3); // LLAMA_QUANT_MAX_BUF_SIZE
  assert.equal(defaultsMismatches(d), []);
});

test('a drifted default is named; another node-llama-cpp release is refused in one line', () => {
  assert.equal(defaultsMismatches({ ...EXPECTED_DEFAULTS, quantize_output_tensor: false, max_buf_size: 0 }), [
    'quantize_output_tensor=false (expected true)',
    'max_buf_size=0 (expected 8589934592)',
  ]);
  const { binsDir } = nodeLlamaCppPaths();
  const fake = tempDir('nlc');
  writeFileSync(join(fake, 'package.json'), JSON.stringify({ version: '3.23.0' }));
  assert.throws(() => checkReleases(fake, binsDir), (e: unknown) => e instanceof InputError && !e.message.includes('\n') && /node-llama-cpp 3\.23\.0 .*written for node-llama-cpp 3\.22\.1 \(llama\.cpp v0\.5\.0\)/.test(e.message));
  const bins = join(fake, 'bins');
  mkdirSync(bins);
  writeFileSync(join(fake, 'package.json'), JSON.stringify({ version: '3.22.1' }));
  writeFileSync(join(bins, '_nlcBuildMetadata.json'), JSON.stringify({ buildOptions: { llamaCpp: { release: 'b9999' } } }));
  assert.throws(() => checkReleases(fake, bins), /llama\.cpp b9999\) is installed/);
  assert.throws(() => checkReleases(fake, join(fake, 'nowhere')), (e: unknown) => e instanceof InputError && /_nlcBuildMetadata\.json: cannot read the node-llama-cpp release/.test((e as Error).message));
});

test.run();
