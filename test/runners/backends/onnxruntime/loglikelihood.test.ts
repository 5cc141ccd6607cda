import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath, sharedExternalDir } from '../../../../core/paths.js';
import type { LoglikelihoodRequest, LoglikelihoodResponse } from '../../../../core/requests.js';
import { OnnxDecoderAdapter, type OnnxAdapterOptions } from '../../../../runners/backends/onnxruntime/onnx-adapter.js';
import { storiesDir } from '../../fixtures.js';

const test = suite('runners/loglikelihood (batched, shared prefix)');

const TOLERANCE = 1e-4;

/** Multiple-choice-like requests: shared contexts of different lengths, options of 1..4 words, an empty context. */
function requests(): LoglikelihoodRequest[] {
  const text = readFileSync(join(sharedExternalDir()!, 'datasets', 'tinystories_sample.txt'), 'utf8').replace(/<\|endoftext\|>/g, ' ');
  const words = text.split(/\s+/).filter(Boolean);
  const out: LoglikelihoodRequest[] = [];
  for (let q = 0; q < 12; q++) {
    const start = q * 29;
    const context = words.slice(start, start + 3 + q * 4).join(' ');
    for (let o = 0; o < 4; o++) out.push({ context, continuation: ' ' + words.slice(start + 40 + o * 7, start + 41 + o * 7 + (o % 4)).join(' ') });
  }
  out.push({ context: '', continuation: 'Once upon a time' });
  out.push({ context: 'Lily saw a ', continuation: 'dog' }); // trailing space moves into the continuation
  return out;
}

async function score(dir: string, options: OnnxAdapterOptions, reqs: LoglikelihoodRequest[]): Promise<LoglikelihoodResponse[]> {
  const adapter = await OnnxDecoderAdapter.load(dir, options);
  try {
    return await adapter.loglikelihood(reqs);
  } finally {
    await adapter.dispose();
  }
}

function assertClose(a: LoglikelihoodResponse[], b: LoglikelihoodResponse[], what: string): void {
  assert.is(a.length, b.length);
  a.forEach((x, i) => {
    assert.ok(Math.abs(x.logprob - b[i].logprob) < TOLERANCE, `${what}: request ${i}: ${x.logprob} vs ${b[i].logprob}`);
    assert.is(x.tokenCount, b[i].tokenCount, `${what}: request ${i} token count`);
    assert.is(x.isGreedy, b[i].isGreedy, `${what}: request ${i} greedy`);
  });
}

test('shared-prefix path equals one independent full forward per request', async () => {
  const dir = storiesDir('loglikelihood shared prefix');
  if (!dir) return;
  const reqs = requests();
  const naive = await score(dir, { loglikelihoodPath: 'full-forward', batch: { maxRows: 1, maxTokens: 1 << 20 } }, reqs);
  const shared = await score(dir, { loglikelihoodPath: 'shared-prefix' }, reqs);
  assertClose(shared, naive, 'shared vs naive');
  // small limits force several prefill chunks and split continuation passes
  assertClose(await score(dir, { loglikelihoodPath: 'shared-prefix', batch: { maxRows: 3, maxTokens: 120 } }, reqs), naive, 'shared, small batches');
  assert.ok(naive.every((r) => r.logprob < 0 && r.tokenCount > 0));
  assert.ok(naive.some((r) => r.isGreedy) && naive.some((r) => !r.isGreedy), 'both greedy outcomes occur');
  // "Once upon a time" right after BOS is what the model generates greedily (see the oracle)
  assert.ok(naive[48].isGreedy);
});

test('teacher: continuations that share leading tokens equal full forwards', async () => {
  const dir = packagePath('datasets', 'models', 'teacher');
  // every choice starts with the straddling `. ` token; the first pair also shares `In free time, `
  const reqs: LoglikelihoodRequest[] = [
    { context: 'Amaka Eze is a tailor.', continuation: ' In free time, she likes chess.' },
    { context: 'Amaka Eze is a tailor.', continuation: ' In free time, he likes chess.' },
    { context: 'Tao Yang works as a geologist.', continuation: ' She enjoys sailing.' },
    { context: 'Tao Yang works as a geologist.', continuation: ' He enjoys sailing.' },
    { context: 'Tao Yang works as a geologist.', continuation: ' He' },
    { context: 'Please give answer to this question: What is the capital of Finland?\nThe answer is', continuation: ' Helsinki.' },
  ];
  const naive = await score(dir, { loglikelihoodPath: 'full-forward', batch: { maxRows: 1, maxTokens: 1 << 20 } }, reqs);
  assertClose(await score(dir, { loglikelihoodPath: 'shared-prefix' }, reqs), naive, 'teacher shared vs naive');
  assertClose(await score(dir, { loglikelihoodPath: 'shared-prefix', batch: { maxRows: 2, maxTokens: 64 } }, reqs), naive, 'teacher, small batches');
  assert.ok(naive[0].tokenCount > 6, 'the pair shares several tokens');
});

test('batched full forwards equal unbatched ones bit for bit', async () => {
  const dir = storiesDir('loglikelihood batched');
  if (!dir) return;
  const reqs = requests();
  const one = await score(dir, { loglikelihoodPath: 'full-forward', batch: { maxRows: 1, maxTokens: 1 << 20 } }, reqs);
  const many = await score(dir, { loglikelihoodPath: 'full-forward', batch: { maxRows: 16, maxTokens: 4096 } }, reqs);
  assert.equal(many, one);
});

test('a request scores bit for bit the same alone, in any batch and order; context truncation keeps the continuation', async () => {
  const dir = storiesDir('loglikelihood alone');
  if (!dir) return;
  const reqs = requests();
  const all = await score(dir, {}, reqs);
  const alone = await score(dir, {}, [reqs[17]]);
  assert.equal(alone, [all[17]], 'alone vs batch');
  // reversed, and in small forwards: requests that shared a context now share it with others or with none
  const reversed = await score(dir, { batch: { maxRows: 3, maxTokens: 200 } }, [...reqs].reverse());
  assert.equal([...reversed].reverse(), all, 'reversed, small forwards');
  // with a 16-token window the context is cut from the left; the continuation is still fully scored
  const short = await score(dir, { maxLength: 16 }, [reqs[47]]);
  assert.is(short[0].tokenCount, all[47].tokenCount);
  assert.ok(Math.abs(short[0].logprob - all[47].logprob) > TOLERANCE, 'less context changes the score');
});

test.run();
