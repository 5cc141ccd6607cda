import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedExternalDir } from '../../../../core/paths.js';
import { OnnxDecoderAdapter } from '../../../../runners/backends/onnxruntime/onnx-adapter.js';
import { planRollingWindows } from '../../../../runners/backends/onnxruntime/rolling.js';
import { storiesDir } from '../../fixtures.js';

const test = suite('runners/rolling');

test('windows match lm-evaluation-harness get_rolling_token_windows (34 tokens, max_seq_len 10)', () => {
  // lm-eval (context_len=1) on token_list=range(34) with prefix P gives inputs/predictions:
  // [P,0..8]->[0..9], [9..18]->[10..19], [19..28]->[20..29], [23..32]->[30..33].
  // Here the sequence is [P, 0..33], so token t sits at index t+1.
  assert.equal(planRollingWindows(35, 10, 10), [
    { start: 0, end: 10, scored: 10 },
    { start: 10, end: 20, scored: 10 },
    { start: 20, end: 30, scored: 10 },
    { start: 24, end: 34, scored: 4 },
  ]);
});

test('every token is predicted exactly once with maximal left context, for any stride', () => {
  for (const [length, maxLength, stride] of [[1, 8, 8], [2, 8, 8], [9, 8, 8], [10, 8, 3], [100, 16, 5], [57, 57, 1]]) {
    const predicted = new Uint8Array(length);
    for (const w of planRollingWindows(length, maxLength, stride)) {
      assert.ok(w.end - w.start <= maxLength && w.scored >= 1 && w.scored <= w.end - w.start);
      assert.is(w.start, Math.max(0, w.end - maxLength), 'as much left context as fits');
      for (let t = w.end - w.scored + 1; t <= w.end; t++) predicted[t] += 1;
    }
    assert.is(predicted[0], 0, 'BOS is never predicted');
    for (let t = 1; t < length; t++) assert.is(predicted[t], 1, `token ${t} of ${length} (L=${maxLength}, stride=${stride})`);
  }
});

test('rolling equals loglikelihood of the text after BOS, batched equals unbatched bit for bit, windows see context', async () => {
  const dir = storiesDir('rolling');
  if (!dir) return;
  const stories = readFileSync(join(sharedExternalDir()!, 'datasets', 'tinystories_sample.txt'), 'utf8')
    .split('<|endoftext|>')
    .map((s) => s.trim())
    .filter(Boolean);
  const texts = [...stories.slice(0, 3), 'Hi.', ''];
  const batched = await OnnxDecoderAdapter.load(dir);
  const single = await OnnxDecoderAdapter.load(dir, { batch: { maxRows: 1, maxTokens: 1 << 20 } });
  const windowed = await OnnxDecoderAdapter.load(dir, { maxLength: 64 });
  const strided = await OnnxDecoderAdapter.load(dir, { maxLength: 64, rollingStride: 16 });
  try {
    const a = await batched.rolling(texts.map((text) => ({ text })));
    const b = await single.rolling(texts.map((text) => ({ text })));
    const ll = await single.loglikelihood(texts.map((t) => ({ context: '', continuation: t })));
    a.forEach((r, i) => {
      assert.is(r.nllSum, b[i].nllSum, `batched vs unbatched, text ${i}`);
      assert.ok(Math.abs(r.nllSum + ll[i].logprob) < 1e-4, `rolling vs loglikelihood('', text), text ${i}`);
      assert.is(r.tokenCount, ll[i].tokenCount);
    });
    assert.equal(a[4], { nllSum: 0, tokenCount: 0, byteCount: 0 });
    const w = await windowed.rolling(texts.map((text) => ({ text })));
    const s = await strided.rolling(texts.map((text) => ({ text })));
    w.forEach((r, i) => assert.is(r.tokenCount, a[i].tokenCount, 'same tokens predicted with windows'));
    // short windows lose context: the long stories get worse, texts under 64 tokens do not change
    assert.ok(w[0].nllSum > a[0].nllSum + 1, `64-token windows ${w[0].nllSum} vs full ${a[0].nllSum}`);
    assert.ok(Math.abs(w[3].nllSum - a[3].nllSum) < 1e-4);
    // a smaller stride gives each window more context back
    assert.ok(s[0].nllSum < w[0].nllSum, `stride 16 ${s[0].nllSum} vs stride 64 ${w[0].nllSum}`);
  } finally {
    for (const m of [batched, single, windowed, strided]) await m.dispose();
  }
});

test.run();
