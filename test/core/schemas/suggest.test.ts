import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closestNames, editDistance, unknownNameMessage } from '../../../core/schemas/suggest.js';

const test = suite('core/schemas/suggest');

test('Levenshtein distance: textbook pairs', () => {
  // kitten → sitting = 3 (the classic example); flaw → lawn = 2; empty → abc = 3.
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('flaw', 'lawn'), 2);
  assert.is(editDistance('', 'abc'), 3);
  assert.is(editDistance('same', 'same'), 0);
});

test('suggests near names and abbreviations, nearest first; nothing for far ones', () => {
  const known = ['acc', 'acc_norm', 'exact_match', 'contains', 'token_f1'];
  assert.equal(closestNames('acc_nrom', known), ['acc_norm']);
  assert.equal(closestNames('exactmatch', known), ['exact_match']);
  assert.equal(closestNames('accuracy', known), ['acc']);
  assert.equal(closestNames('perplexity', known), []);
});

test('lm-evaluation-harness style message', () => {
  assert.is(
    unknownNameMessage('metric', 'acurracy', ['accuracy', 'f1']),
    "Unknown metric 'acurracy'. Did you mean: accuracy? Available: accuracy, f1",
  );
  assert.is(unknownNameMessage('metric', 'zzz', ['a1', 'b2']), "Unknown metric 'zzz'. Available: a1, b2");
});

test.run();
