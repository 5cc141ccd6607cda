import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bitsPerByte, perplexity, wordAccuracy, wordNll } from '../../../suites/metrics/rolling.js';

const test = suite('suites/metrics/rolling');
const roll = (nllSum: number, tokenCount: number, byteCount: number, targets: { word: string; logprob: number; isGreedy: boolean }[] = []) => ({
  kind: 'rolling' as const,
  nllSum,
  tokenCount,
  byteCount,
  targets,
});

test('perplexity = exp(NLL/tokens); uniform over V tokens gives V', () => {
  // A model uniform over 50 tokens pays ln 50 per token: perplexity 50.
  assert.ok(Math.abs(perplexity(roll(10 * Math.log(50), 10, 40)).score - 50) < 1e-9);
  assert.equal(perplexity(roll(0, 0, 0)), { score: 0, reason: 'no tokens scored' });
});

test('bits per byte = NLL / ln 2 / bytes', () => {
  // 8 bits of NLL (8 ln 2 nats) over 4 bytes is 2 bits per byte.
  assert.ok(Math.abs(bitsPerByte(roll(8 * Math.LN2, 3, 4)).score - 2) < 1e-12);
});

test('target words: mean NLL and greedy share', () => {
  const o = roll(1, 1, 1, [
    { word: 'a', logprob: -1, isGreedy: true },
    { word: 'b', logprob: -3, isGreedy: false },
  ]);
  assert.is(wordNll(o).score, 2);
  assert.is(wordAccuracy(o).score, 0.5);
  assert.match(wordNll(roll(1, 1, 1)).reason ?? '', /no target words/);
});

test.run();
