import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { argmax, choiceAccuracy, choiceAccuracyNorm } from '../../../suites/metrics/choice.js';

const test = suite('suites/metrics/choice');

test('argmax takes the first of ties (NumPy semantics)', () => {
  assert.is(argmax([-1, -1, -2]), 0);
  assert.is(argmax([-3, -1, -2]), 1);
});

test('acc picks the highest log-likelihood; acc_norm divides by choice length', () => {
  const o = { kind: 'multiple_choice' as const, logprobs: [-6, -4], choices: ['elephant', 'ox'], gold: 0 };
  // acc: −4 > −6 picks "ox". acc_norm: −6/8 = −0.75 > −4/2 = −2 picks "elephant".
  assert.equal(choiceAccuracy(o), { score: 0, reason: 'picked choice 1, gold 0' });
  assert.equal(choiceAccuracyNorm(o), { score: 1 });
});

test.run();
