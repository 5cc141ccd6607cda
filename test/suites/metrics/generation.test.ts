import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { contains, exactMatch, tokenF1 } from '../../../suites/metrics/generation.js';
import { normalizeAnswer } from '../../../suites/metrics/normalize.js';

const test = suite('suites/metrics/generation');
const gen = (text: string, answers: string[]) => ({ kind: 'generate' as const, text, answers });

test('SQuAD normalisation: lower-case, no punctuation, no articles, single spaces', () => {
  // evaluate-v1.1.py normalize_answer("The  Quick, brown fox!") == "quick brown fox".
  assert.is(normalizeAnswer('The  Quick, brown fox!'), 'quick brown fox');
  assert.is(normalizeAnswer('An apple a day'), 'apple day');
  assert.is(normalizeAnswer('Janet’s “ducks”'), 'janets ducks');
  assert.is(normalizeAnswer('théâtre'), 'théâtre');
});

test('exact match over aliases', () => {
  assert.is(exactMatch(gen('The Eiffel Tower.', ['eiffel tower'])).score, 1);
  assert.is(exactMatch(gen('Paris, France', ['Paris', 'Paris France'])).score, 1);
  const miss = exactMatch(gen('Lyon', ['Paris']));
  assert.is(miss.score, 0);
  assert.match(miss.reason ?? '', /matches none of 1 aliases/);
});

test('contains: normalised alias on token boundaries (LLM-KICK)', () => {
  assert.is(contains(gen('I think the answer is Paris, of course.', ['paris'])).score, 1);
  assert.is(contains(gen('It is 10.', ['1'])).score, 0);
  assert.is(contains(gen('New York City', ['new york'])).score, 1);
  assert.match(contains(gen('x', ['the', '!'])).reason ?? '', /empty after normalisation/);
});

test('token F1, SQuAD style, max over aliases', () => {
  // pred {cat, sat} vs gold {cat, sat, on, mat}: P = 1, R = 0.5, F1 = 2/3.
  assert.ok(Math.abs(tokenF1(gen('the cat sat', ['a cat sat on the mat'])).score - 2 / 3) < 1e-12);
  assert.is(tokenF1(gen('the cat sat', ['dog', 'cat sat'])).score, 1);
  // Repeated tokens count once per match: pred {a1, a1} vs gold {a1}: P = 1/2, R = 1, F1 = 2/3.
  assert.ok(Math.abs(tokenF1(gen('a1 a1', ['a1'])).score - 2 / 3) < 1e-12);
  assert.is(tokenF1(gen('zebra', ['lion'])).score, 0);
});

test.run();
