import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  byteUnigramBitsPerByte,
  choiceChance,
  constantGuessChance,
  constantGuessHits,
  reasoningChance,
  reasoningItemChance,
  uniformTokenNllChance,
} from '../../../datasets/suites/chance.js';
import { loadSuite } from '../../../suites/index.js';
import { packagePath } from '../../../core/paths.js';
import { BUNDLED_SUITE_IDS } from '../../../datasets/suites/build.js';

const test = suite('datasets/suites/chance');

test('constant guess: the most frequent answer per group, aliases and normalisation count', () => {
  const rows = [
    { answer: ['Euro'], tags: { relation: 'currency' } },
    { answer: ['euro.'], tags: { relation: 'currency' } },
    { answer: ['Dollar', 'EURO'], tags: { relation: 'currency' } },
    { answer: ['Yen'], tags: { relation: 'currency' } },
    { answer: ['Paris'], tags: { relation: 'capital' } },
    { answer: ['Rome'], tags: { relation: 'capital' } },
  ];
  // currency: "euro" twice → hits rows 0, 1 and 2 (alias); capital: tie → "paris" (lexically first)
  assert.equal(constantGuessHits(rows, 'answer', 'relation'), [1, 1, 1, 0, 1, 0]);
  assert.is(constantGuessChance(rows, 'contains', 'answer', 'relation').value, 0.6667);
});

test('reasoning: 1/2 comparisons and yes/no, 1/3 "who is", constant guess for arithmetic', () => {
  assert.is(reasoningItemChance('comparison', 'Which number is larger, 3 or 9?', 0), 0.5);
  assert.is(reasoningItemChance('chain', 'A is taller than B. B is taller than C. Who is the tallest?', 0), 1 / 3);
  assert.is(reasoningItemChance('chain', 'A is taller than B. B is taller than C. Is A taller than C?', 0), 0.5);
  assert.is(reasoningItemChance('expression', 'What is 2 + 2?', 1), 1);
  const rows = [
    { question: 'What is 1 + 3?', answer: '4', tags: { skill: 'expression' } },
    { question: 'What is 2 + 2?', answer: '4', tags: { skill: 'expression' } },
    { question: 'What is 2 + 3?', answer: '5', tags: { skill: 'expression' } },
    { question: 'Which number is larger, 3 or 9?', answer: '9', tags: { skill: 'comparison' } },
  ];
  const c = reasoningChance(rows, 'exact_match');
  // expression: guess "4" → 2 of 3; comparison 1/2 → (1 + 1 + 0 + 0.5) / 4
  assert.is(c.value, 0.625);
  assert.equal(c.bySlice, { tag: 'skill', values: { expression: 0.6667, comparison: 0.5 } });
});

test('multiple choice, token-uniform NLL and byte-unigram bits per byte by hand', () => {
  assert.is(choiceChance([{ choices: ['a', 'b'] }, { choices: ['a', 'b', 'c', 'd'] }], 'acc', 'choices').value, 0.375);
  const nll = uniformTokenNllChance([{ n: 2 }, { n: 3 }], 'word_nll', (r) => r.n as number, 2048);
  assert.is(nll.value, Math.round(2.5 * Math.log(2048) * 1e4) / 1e4);
  // counts with add-one: a = 1 + 1, b = 1 + 1, total 2 + 256 → −log2(2/258) bits for "a"
  assert.ok(Math.abs(byteUnigramBitsPerByte('ab', 'a') - Math.log2(129)) < 1e-12);
});

test('every bundled suite states a chance level on one of its metrics', () => {
  for (const id of BUNDLED_SUITE_IDS) {
    const { spec } = loadSuite(packagePath('suites', id));
    assert.ok(spec.chance, id);
    assert.ok(spec.metrics.includes(spec.chance!.metric), `${id}: ${spec.chance!.metric}`);
    assert.ok(Number.isFinite(spec.chance!.value) && spec.chance!.how.length > 10, id);
  }
});

test.run();
