import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OCCUPATIONS, HOBBIES, NAME_GROUPS, writeName } from '../../../datasets/corpus/people.js';
import { counterpart, occupationSentence, peoplePool, rewriteName } from '../../../datasets/suites/people-pool.js';
import { bundledCorpus } from './fixtures.js';

const test = suite('datasets/suites/people-pool');
const { index } = bundledCorpus();
const pool = peoplePool(index, OCCUPATIONS, HOBBIES, 2, 1234, 'test:pool');

test('pool lines are absent from the corpus and their person is recovered from the text', () => {
  assert.ok(pool.length > 60, `pool ${pool.length}`);
  for (const l of pool) {
    assert.not.ok(index.text.includes(l.text), l.text);
    assert.ok(l.text.startsWith(writeName(l.person, l.naming) + ' '), l.text);
    const g = NAME_GROUPS[l.person.group];
    assert.is((l.person.gender === 'female' ? g.female : g.male)[l.givenIndex], l.person.given);
    assert.is(g.family[l.familyIndex], l.person.family);
    assert.ok(l.text.includes(` ${l.occupation}.`), l.text);
    if (l.hobby) assert.ok(l.text.endsWith(` ${l.hobby}.`), l.text);
  }
});

test('rewriteName changes only the name; counterpart keeps the name indices and gender', () => {
  const l = pool.find((x) => x.person.gender === 'female' && x.naming === 'given_first')!;
  const other = counterpart(l, 'nigerian');
  assert.is(other.given, NAME_GROUPS.nigerian.female[l.givenIndex]);
  assert.is(other.family, NAME_GROUPS.nigerian.family[l.familyIndex]);
  const swapped = rewriteName(l, other, 'family_first');
  assert.is(swapped, `${other.family} ${other.given}${l.text.slice(writeName(l.person, 'given_first').length)}`);
  assert.is(rewriteName(l, l.person, l.naming), l.text);
});

test('occupationSentence stops at the first period', () => {
  assert.is(occupationSentence('Emma Smith is a baker. She enjoys chess.'), 'Emma Smith is a baker.');
});

test.run();
