import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { extractNumber, numericMatch } from '../../../suites/metrics/numeric.js';

const test = suite('suites/metrics/numeric');

test('GSM8K answers: the number after ####, commas removed', () => {
  // First GSM8K test item's answer ends in "#### 18".
  assert.is(extractNumber('She makes 9 * 2 = $<<9*2=18>>18 every day.\n#### 18'), 18);
  assert.is(extractNumber('#### 1,234'), 1234);
  assert.is(extractNumber('#### -3.5'), -3.5);
});

test('free text: the last number, $ and commas removed, trailing period ignored', () => {
  assert.is(extractNumber('3 apples and 4 pears make 7.'), 7);
  assert.is(extractNumber('It costs $1,000.'), 1000);
  assert.is(extractNumber('no digits here'), undefined);
});

test('numeric match against the gold number, failure as data', () => {
  const gen = (text: string, answers: string[]) => ({ kind: 'generate' as const, text, answers });
  assert.is(numericMatch(gen('The answer is 18.', ['... #### 18'])).score, 1);
  assert.is(numericMatch(gen('18.0', ['18'])).score, 1);
  assert.equal(numericMatch(gen('about 17', ['#### 18'])), { score: 0, reason: 'extracted 17, expected 18' });
  assert.match(numericMatch(gen('dunno', ['18'])).reason ?? '', /no number/);
  assert.match(numericMatch(gen('5', ['five'])).reason ?? '', /gold answer holds no number/);
});

test.run();
