import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedExternalDir } from '../../../../core/paths.js';
import { OnnxDecoderAdapter } from '../../../../runners/backends/onnxruntime/onnx-adapter.js';
import { storiesDir } from '../../fixtures.js';

const test = suite('runners/backends/onnxruntime/onnx-adapter (stories260k)');

test('greedy 200 tokens from BOS alone reproduce llama2.c oracle byte for byte', async () => {
  const dir = storiesDir('greedy oracle');
  if (!dir) return;
  const adapter = await OnnxDecoderAdapter.load(dir);
  try {
    const [r] = await adapter.generate([{ prompt: '', options: { maxNewTokens: 200 } }]);
    assert.equal(r.promptIds, [1], 'empty prompt = BOS alone');
    assert.is(r.generatedIds.length, 200);
    assert.is(r.finishReason, 'length');
    // source: stories260k/oracle-greedy200.txt (llama2.c test_all.py expectation)
    assert.is(r.text, readFileSync(join(dir, 'oracle-greedy200.txt'), 'utf8'));
  } finally {
    await adapter.dispose();
  }
});

test('mean NLL over the TinyStories sample is 1.2664 nats/token', async () => {
  const dir = storiesDir('tinystories NLL');
  if (!dir) return;
  const stories = readFileSync(join(sharedExternalDir()!, 'datasets', 'tinystories_sample.txt'), 'utf8')
    .split('<|endoftext|>')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  assert.is(stories.length, 5);
  const adapter = await OnnxDecoderAdapter.load(dir);
  try {
    const res = await adapter.rolling(stories.map((text) => ({ text })));
    const nll = res.reduce((s, r) => s + r.nllSum, 0);
    const tokens = res.reduce((s, r) => s + r.tokenCount, 0);
    // source: stories260k/README.md (onnxruntime, transformers.js and numpy agree on 1.2664)
    assert.ok(Math.abs(nll / tokens - 1.2664) < 5e-4, `mean NLL ${nll / tokens}`);
    assert.is(res[0].byteCount, Buffer.byteLength(stories[0], 'utf8'));
    assert.ok(res[0].byteCount > stories[0].length, 'curly quotes count 3 bytes each');
  } finally {
    await adapter.dispose();
  }
});

test('stop strings cut the text; a batch of prompts generates what each prompt generates alone', async () => {
  const dir = storiesDir('generate stops');
  if (!dir) return;
  const adapter = await OnnxDecoderAdapter.load(dir);
  try {
    const oracle = readFileSync(join(dir, 'oracle-greedy200.txt'), 'utf8');
    const requests = [
      { prompt: 'Once upon a time', options: { maxNewTokens: 20 } },
      { prompt: 'Once upon a time', options: { maxNewTokens: 50, stop: ['Lily'] } },
      { prompt: 'Once upon a time', options: { maxNewTokens: 0 } },
      { prompt: 'The dog', options: { maxNewTokens: 30, stop: ['\n'] } },
      { prompt: 'Tom and Sue went to the park to play with a big red ball. They', options: { maxNewTokens: 25 } },
    ];
    const batch = await adapter.generate(requests);
    const [full, stopped, zero] = batch;
    // the oracle continues "Once upon a time" with ", there was a little girl named Lily."
    assert.ok(oracle.startsWith(`Once upon a time${full.text}`), full.text);
    assert.ok(full.text.startsWith(', there was'), 'the continuation keeps its leading text');
    assert.is(stopped.finishReason, 'stop');
    assert.is(stopped.text, ', there was a little girl named ');
    assert.equal(zero, { text: '', promptIds: zero.promptIds, generatedIds: [], finishReason: 'length' });
    for (let i = 0; i < requests.length; i++) {
      const [alone] = await adapter.generate([requests[i]]);
      assert.equal(batch[i], alone, `request ${i} batched vs alone`);
    }
  } finally {
    await adapter.dispose();
  }
});

test.run();
