import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedExternalDir } from '../../../../core/paths.js';
import { LlamaCppAdapter } from '../../../../runners/backends/llama-cpp/llama-adapter.js';
import { OnnxDecoderAdapter } from '../../../../runners/backends/onnxruntime/onnx-adapter.js';
import { STORY_TEXTS, storiesGguf, storyRequests } from './fixtures.js';
import { absDiffStats, llamaTokenLogProbs, onnxTokenLogProbs, sci } from './token-logprobs.js';

const test = suite('runners/backends/llama-cpp cross-backend agreement with onnxruntime (stories260k, same weights)');

/** The texts, then the five TinyStories sample stories (longer, a few hundred tokens). */
function texts(): string[] {
  const sample = readFileSync(join(sharedExternalDir()!, 'datasets', 'tinystories_sample.txt'), 'utf8')
    .split('<|endoftext|>')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return [...STORY_TEXTS, ...sample];
}

/*
 * Measured on the dev machine (llama.cpp prebuilt libggml-cpu-zen4, 1 thread; onnxruntime
 * 1.30 CPU), 2728 tokens of 29 texts, context 512:
 *   per-token |Δ log p|, F32 KV: max 1.46e-5, mean 1.07e-6 nats; F16 KV: max 1.37e-2, mean 8.58e-4.
 *   47 loglikelihood + 29 rolling requests (3321 scored tokens), |Δ sum| / tokens:
 *   worst request 2.24e-6, overall 1.76e-7 (context 512 and 48 alike).
 * Each bound is about 3× its measured figure, so another kernel, a shifted position or a
 * wrong window (errors of 1e-2 and more) fails; a sign flip or off-by-one fails by far.
 */
const PER_TOKEN_MAX_BOUND = 5e-5;
const PER_TOKEN_MEAN_BOUND = 4e-6;
const F16_PER_TOKEN_MEAN_BOUND = 3e-3;
const REQUEST_WORST_BOUND = 7e-6;
const REQUEST_MEAN_BOUND = 6e-7;

test('per-token log-probs: F32 KV within the measured bound of onnxruntime; F16 KV reported', async () => {
  const s = storiesGguf('cross-backend per-token log-probs');
  if (!s) return;
  const onnx = await OnnxDecoderAdapter.load(s.dir, { maxLength: 512 });
  const f32 = await LlamaCppAdapter.load(s.gguf, { maxLength: 512 });
  const f16 = await LlamaCppAdapter.load(s.gguf, { maxLength: 512, kvCacheType: 'f16' });
  try {
    const seqs = texts().map((t) => onnx.folder.tokenizer.encode(t));
    texts().forEach((t, i) => assert.equal(f32.tokenizer.encode(t), seqs[i], `same token ids on both backends: text ${i}`));
    assert.ok(Math.max(...seqs.map((q) => q.length)) <= 512);
    const ref: number[][] = [];
    const a: number[][] = [];
    const b: number[][] = [];
    for (const ids of seqs) {
      ref.push(await onnxTokenLogProbs(onnx, ids));
      a.push(await llamaTokenLogProbs(f32, ids));
      b.push(await llamaTokenLogProbs(f16, ids));
    }
    const d32 = absDiffStats(a, ref);
    const d16 = absDiffStats(b, ref);
    const d16v32 = absDiffStats(b, a);
    console.log(`  per-token |Δ log p| vs onnxruntime over ${d32.n} tokens: F32 KV max ${sci(d32.max)} mean ${sci(d32.mean)}; F16 KV max ${sci(d16.max)} mean ${sci(d16.mean)} (F16 vs F32 KV: max ${sci(d16v32.max)} mean ${sci(d16v32.mean)})`);
    assert.ok(d32.max <= PER_TOKEN_MAX_BOUND, `F32 KV max |Δ| ${d32.max} > ${PER_TOKEN_MAX_BOUND}`);
    assert.ok(d32.mean <= PER_TOKEN_MEAN_BOUND, `F32 KV mean |Δ| ${d32.mean} > ${PER_TOKEN_MEAN_BOUND}`);
    assert.ok(d16v32.max > 0, 'an F16 cache rounds: it must not give the F32 figures exactly');
    assert.ok(d16.mean <= F16_PER_TOKEN_MEAN_BOUND, `F16 KV mean |Δ| ${d16.mean} > ${F16_PER_TOKEN_MEAN_BOUND}`);
  } finally {
    await onnx.dispose();
    await f32.dispose();
    await f16.dispose();
  }
});

test('loglikelihood and rolling requests: same token counts and greedy flags, sums within the bound', async () => {
  const s = storiesGguf('cross-backend requests');
  if (!s) return;
  for (const maxLength of [512, 48]) {
    const onnx = await OnnxDecoderAdapter.load(s.dir, { maxLength });
    const llama = await LlamaCppAdapter.load(s.gguf, { maxLength });
    try {
      const reqs = storyRequests();
      const [lo, ll] = [await onnx.loglikelihood(reqs), await llama.loglikelihood(reqs)];
      const rolls = texts().map((text) => ({ text }));
      const [ro, rl] = [await onnx.rolling(rolls), await llama.rolling(rolls)];
      let worst = 0;
      let sum = 0;
      let tokens = 0;
      lo.forEach((o, i) => {
        assert.is(ll[i].tokenCount, o.tokenCount, `request ${i} token count`);
        assert.is(ll[i].isGreedy, o.isGreedy, `request ${i} greedy flag`);
        worst = Math.max(worst, Math.abs(ll[i].logprob - o.logprob) / Math.max(1, o.tokenCount));
        sum += Math.abs(ll[i].logprob - o.logprob);
        tokens += o.tokenCount;
      });
      ro.forEach((o, i) => {
        assert.is(rl[i].tokenCount, o.tokenCount, `text ${i} token count`);
        worst = Math.max(worst, Math.abs(rl[i].nllSum - o.nllSum) / o.tokenCount);
        sum += Math.abs(rl[i].nllSum - o.nllSum);
        tokens += o.tokenCount;
      });
      console.log(`  maxLength ${maxLength}: ${reqs.length} loglikelihood + ${rolls.length} rolling requests, |Δ sum| per token: worst request ${sci(worst)}, overall ${sci(sum / tokens)} (${tokens} tokens)`);
      assert.ok(sum / tokens <= REQUEST_MEAN_BOUND, `mean |Δ| per token ${sum / tokens} > ${REQUEST_MEAN_BOUND}`);
      assert.ok(worst <= REQUEST_WORST_BOUND, `worst request |Δ| per token ${worst} > ${REQUEST_WORST_BOUND}`);
    } finally {
      await onnx.dispose();
      await llama.dispose();
    }
  }
});

test.run();
