import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LlamaCppAdapter } from '../../../../runners/backends/llama-cpp/llama-adapter.js';
import { describeBackend } from '../../../../runners/backends/backend-info.js';
import { tempDir } from '../../fixtures.js';
import { STORY_TEXTS, storiesGguf, storyRequests } from './fixtures.js';
import { fillGgufTensor } from './patch-gguf.js';

const test = suite('runners/backends/llama-cpp/llama-adapter (stories260K.gguf)');

test('greedy 200 tokens from BOS alone reproduce llama2.c oracle byte for byte', async () => {
  const s = storiesGguf('llama.cpp greedy oracle');
  if (!s) return;
  const t0 = performance.now();
  const adapter = await LlamaCppAdapter.load(s.gguf);
  const t1 = performance.now();
  try {
    const [r] = await adapter.generate([{ prompt: '', options: { maxNewTokens: 200 } }]);
    const t2 = performance.now();
    console.log(`  llama.cpp oracle: load ${(t1 - t0).toFixed(0)} ms, 200 greedy tokens ${(t2 - t1).toFixed(0)} ms`);
    assert.equal(r.promptIds, [1], 'empty prompt = BOS alone');
    assert.is(r.generatedIds.length, 200);
    assert.is(r.finishReason, 'length');
    // source: stories260k/oracle-greedy200.txt (llama2.c test_all.py expectation)
    assert.is(r.text, readFileSync(join(s.dir, 'oracle-greedy200.txt'), 'utf8'));
  } finally {
    await adapter.dispose();
  }
});

test('backendInfo names llama.cpp, its versions, the CPU library, an F32 cache without flash attention', async () => {
  const s = storiesGguf('llama.cpp backendInfo');
  if (!s) return;
  const adapter = await LlamaCppAdapter.load(s.gguf, { threads: 1 });
  try {
    const info = describeBackend(adapter);
    assert.equal(info, adapter.backendInfo());
    assert.is(info?.backend, 'llama.cpp');
    if (info?.backend !== 'llama.cpp') return;
    assert.is(info.nodeLlamaCpp, '3.22.1');
    assert.match(info.llamaCppRelease, /\S/);
    assert.is(info.buildType, 'prebuilt');
    assert.match(info.cpuVariant, /^[a-z0-9_]+$/, 'a libggml-cpu-<variant>.so was mapped');
    assert.ok(info.cpuVariant !== 'unknown');
    assert.equal(info.kvCache, { key: 'F32', value: 'F32' });
    assert.is(info.flashAttention, false);
    assert.is(info.threads, 1);
    assert.is(adapter.maxLength, 2048, 'the GGUF context length (llama.context_length)');
  } finally {
    await adapter.dispose();
    await adapter.dispose();
  }
});

test('generate: stop strings cut the text, maxNewTokens and the context window end it', async () => {
  const s = storiesGguf('llama.cpp generate');
  if (!s) return;
  const adapter = await LlamaCppAdapter.load(s.gguf, { maxLength: 16 });
  try {
    const [stop, len, zero, full] = await adapter.generate([
      { prompt: 'Once upon a time', options: { maxNewTokens: 10, stop: [' girl'] } },
      { prompt: 'Once upon a time', options: { maxNewTokens: 3 } },
      { prompt: 'Once upon a time', options: { maxNewTokens: 0 } },
      { prompt: 'Once upon a time', options: { maxNewTokens: 100 } },
    ]);
    assert.is(stop.finishReason, 'stop');
    assert.is(stop.text, ', there was a little');
    assert.is(len.finishReason, 'length');
    assert.is(len.generatedIds.length, 3);
    assert.ok(stop.text.startsWith(len.text));
    assert.equal([zero.text, zero.generatedIds, zero.finishReason], ['', [], 'length']);
    assert.is(full.promptIds.length + full.generatedIds.length, 16, 'capped at the context window');
    assert.is(full.finishReason, 'length');
  } finally {
    await adapter.dispose();
  }
});

test('prefix reuse: a request scores bit-identically alone, in a batch sharing its context, and in another order', async () => {
  const s = storiesGguf('llama.cpp batch invariance');
  if (!s) return;
  const adapter = await LlamaCppAdapter.load(s.gguf);
  try {
    const context = 'Once upon a time, there was a little girl';
    const options = [' named Lily.', ' who liked cats.', ' with a red hat and a big smile.', ''];
    const batch = await adapter.loglikelihood([...options.map((continuation) => ({ context, continuation })), ...storyRequests()]);
    const reversed = await adapter.loglikelihood(options.map((continuation) => ({ context, continuation })).reverse());
    for (const [i, continuation] of options.entries()) {
      const [alone] = await adapter.loglikelihood([{ context, continuation }]);
      assert.is(batch[i].logprob, alone.logprob, `bit-identical alone and in a batch: ${continuation}`);
      assert.is(reversed[options.length - 1 - i].logprob, alone.logprob, `bit-identical in another order: ${continuation}`);
      assert.is(batch[i].isGreedy, alone.isGreedy);
    }
    assert.equal(batch[3], { logprob: 0, isGreedy: true, tokenCount: 0 }, 'an empty continuation scores nothing');
    assert.ok(batch[0].logprob < 0 && batch[0].logprob > batch[1].logprob, 'the story name is more likely than a random end');
    assert.ok(batch[0].isGreedy, "' named Lily.' is the greedy continuation (see the oracle)");
  } finally {
    await adapter.dispose();
  }
});

test('rolling: every token after BOS is predicted once, over windows; a long text needs several', async () => {
  const s = storiesGguf('llama.cpp rolling');
  if (!s) return;
  const long = STORY_TEXTS.join(' ');
  const small = await LlamaCppAdapter.load(s.gguf, { maxLength: 64 });
  const big = await LlamaCppAdapter.load(s.gguf, { maxLength: 512 });
  try {
    const ids = small.tokenizer.encode(long);
    assert.ok(ids.length > 3 * 64, `the text needs several windows (${ids.length} tokens)`);
    const [a] = await small.rolling([{ text: long }]);
    const [b] = await big.rolling([{ text: long }]);
    assert.is(a.tokenCount, ids.length - 1);
    assert.is(b.tokenCount, ids.length - 1);
    assert.is(a.byteCount, Buffer.byteLength(long));
    // other windows, other left contexts: close but not equal (the window semantics are checked against onnxruntime in cross-backend.test)
    assert.ok(a.nllSum !== b.nllSum && Math.abs(a.nllSum - b.nllSum) < 0.1 * b.nllSum, `${a.nllSum} vs ${b.nllSum}`);
  } finally {
    await small.dispose();
    await big.dispose();
  }
});

test('NaN logits: generate ends with non-finite, loglikelihood and rolling give NaN (never a chosen token 0)', async () => {
  const s = storiesGguf('llama.cpp NaN logits');
  if (!s) return;
  const path = join(tempDir('nan'), 'nan.gguf');
  fillGgufTensor(s.gguf, path, 'output_norm.weight', NaN);
  const adapter = await LlamaCppAdapter.load(path);
  try {
    const [g] = await adapter.generate([{ prompt: 'Once', options: { maxNewTokens: 5 } }]);
    assert.equal([g.finishReason, g.generatedIds, g.text], ['non-finite', [], '']);
    const [l] = await adapter.loglikelihood([{ context: 'Once', continuation: ' upon a time' }]);
    assert.ok(Number.isNaN(l.logprob) && !l.isGreedy);
    const [r] = await adapter.rolling([{ text: 'Once upon a time' }]);
    assert.ok(Number.isNaN(r.nllSum));
  } finally {
    await adapter.dispose();
  }
});

test.run();
