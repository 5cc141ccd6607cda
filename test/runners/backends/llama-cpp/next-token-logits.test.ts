import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { greedyToken, logProbOf } from '../../../../runners/backends/llama-cpp/next-token-logits.js';

const test = suite('runners/backends/llama-cpp/next-token-logits');

/** node-llama-cpp's shape: a map sorted by logit, highest first. */
function sorted(logits: number[]): Map<number, number> {
  return new Map(logits.map((x, i) => [i, x] as [number, number]).sort((a, b) => b[1] - a[1]));
}

test('logProbOf is a float64 log-softmax: matches the naive formula and sums to 1', () => {
  const logits = [1.5, -2, 0.25, 3, 3 - 1e-7];
  const naive = (t: number): number => Math.log(Math.exp(logits[t]) / logits.reduce((s, x) => s + Math.exp(x), 0));
  let total = 0;
  for (let t = 0; t < logits.length; t++) {
    const { logprob, argmax } = logProbOf(sorted(logits), t);
    assert.ok(Math.abs(logprob - naive(t)) < 1e-14, `token ${t}`);
    assert.is(argmax, 3);
    total += Math.exp(logprob);
  }
  assert.ok(Math.abs(total - 1) < 1e-14);
  // stable where exp overflows: logits of 1000 and 999
  assert.ok(Math.abs(logProbOf(sorted([1000, 999]), 1).logprob - (-1 - Math.log1p(Math.exp(-1)))) < 1e-12);
});

test('greedyToken: lowest id among equal maxima whatever the map order; −1 and NaN on a non-finite logit', () => {
  assert.is(greedyToken(new Map([[7, 2], [3, 2], [5, 1]])), 3);
  assert.is(greedyToken(sorted([0, NaN, 1])), -1);
  assert.is(greedyToken(sorted([0, Infinity, 1])), -1);
  const r = logProbOf(sorted([0, NaN]), 0);
  assert.ok(Number.isNaN(r.logprob) && r.argmax === -1);
});

test.run();
