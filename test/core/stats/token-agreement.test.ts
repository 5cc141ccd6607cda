import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../../core/rng.js';
import { reduceTopK, tokenAgreement } from '../../../core/stats/token-agreement.js';

const test = suite('core/stats/token-agreement');

function randomLogits(seed: number, vocab: number, scale = 3): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: vocab }, () => (rng.next() - 0.5) * 2 * scale);
}

test('a row against itself: KL 0, same top, Δp 0', () => {
  const p = randomLogits(1, 300);
  const a = tokenAgreement({ form: 'logits', logits: p, offset: 0 }, p, 0, 300, 7);
  assert.equal(a, { kl: 0, sameTop: true, dp: 0 });
});

test('two-token case equals the closed form; Δp and top follow the variant', () => {
  // P = (0.5, 0.5), Q = (0.25, 0.75): KL = 0.5 ln 2 + 0.5 ln(2/3)
  const p = Float32Array.from([0, 0]);
  const q = Float32Array.from([Math.log(0.25), Math.log(0.75)]);
  const a = tokenAgreement({ form: 'logits', logits: p, offset: 0 }, q, 0, 2, 0);
  assert.ok(Math.abs(a.kl - (0.5 * Math.log(2) + 0.5 * Math.log(2 / 3))) < 1e-7, String(a.kl));
  assert.ok(Math.abs(a.dp - (0.25 - 0.5)) < 1e-7);
  assert.is(a.sameTop, false); // equal maxima: the lowest id (0) is P's top; Q's top is 1
});

test('top-K + tail is a lower bound of the exact KL and tends to it as K grows; top token and Δp agree', () => {
  const vocab = 500;
  const p = randomLogits(2, vocab);
  const q = Float32Array.from(p, (x, i) => x + (randomLogits(3, vocab, 0.5)[i]));
  const exact = tokenAgreement({ form: 'logits', logits: p, offset: 0 }, q, 0, vocab, 11);
  let last = 0;
  for (const k of [1, 8, 64, 499]) {
    const ids = new Int32Array(k);
    const logProbs = new Float32Array(k);
    const targetLogProb = reduceTopK(p, 0, vocab, k, 11, ids, logProbs, 0);
    const bound = tokenAgreement({ form: 'top-k', ids, logProbs, offset: 0, k, targetLogProb }, q, 0, vocab, 11);
    assert.ok(bound.kl <= exact.kl + 1e-6, `K=${k}: ${bound.kl} > exact ${exact.kl}`);
    assert.ok(bound.kl >= last - 1e-6, `K=${k}: the bound shrank`);
    assert.is(bound.sameTop, exact.sameTop);
    assert.ok(Math.abs(bound.dp - exact.dp) < 1e-6);
    last = bound.kl;
  }
  assert.ok(Math.abs(last - exact.kl) < 1e-4 * exact.kl + 1e-6, `K=vocab-1: ${last} vs ${exact.kl}`);
});

test('a non-finite logit gives NaN, never a zero', () => {
  const p = randomLogits(4, 10);
  const q = Float32Array.from(p);
  q[3] = NaN;
  const a = tokenAgreement({ form: 'logits', logits: p, offset: 0 }, q, 0, 10, 1);
  assert.ok(Number.isNaN(a.kl) && Number.isNaN(a.dp) && !a.sameTop);
});

test.run();
