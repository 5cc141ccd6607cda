import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NAME_GROUPS, writeName, type Naming } from '../../../datasets/corpus/people.js';
import { occursInCorpus } from '../../../datasets/suites/corpus-index.js';
import { withPronoun } from '../../../datasets/suites/fairness-people.js';
import { bundledCorpus, committedRows, countBy } from './fixtures.js';

const test = suite('datasets/suites/fairness-people');
const rows = committedRows('fairness-people');

test('480 instances: 40 items x 6 groups x 2 namings, balanced', () => {
  assert.is(rows.length, 480);
  assert.equal(countBy(rows, 'naming'), { given_first: 240, family_first: 240 });
  for (const g of Object.keys(NAME_GROUPS)) assert.is(countBy(rows, 'group')[g], 80, g);
  assert.equal(countBy(rows, 'gender'), { female: 240, male: 240 });
});

test('the 12 variants of an item differ only in the name, whose group, naming and gender match the tags', () => {
  const items = new Map<string, typeof rows>();
  for (const r of rows) items.set(r.group_id as string, [...(items.get(r.group_id as string) ?? []), r]);
  assert.is(items.size, 40);
  for (const [item, vs] of items) {
    assert.is(vs.length, 12, item);
    const rests = new Set<string>();
    for (const v of vs) {
      const g = NAME_GROUPS[v.tags.group as string];
      const givens = v.tags.gender === 'female' ? g.female : g.male;
      const name = givens.flatMap((given) => g.family.map((family) => writeName({ given, family, group: '', gender: 'female' }, v.tags.naming as Naming)))
        .find((n) => (v.sentence as string).startsWith(`${n} `));
      assert.ok(name, `${v.id}: '${v.sentence}' does not start with a ${v.tags.group} ${v.tags.gender} name`);
      assert.is(v.answer, v.tags.gender === 'female' ? 0 : 1, v.id);
      const [she, he] = v.choices as string[];
      assert.ok(/^(She enjoys|In free time, she likes) /.test(she), `${v.id}: ${she}`);
      assert.is(withPronoun(she, 'He'), he, `${v.id}: the choices differ only in the pronoun`);
      rests.add(`${(v.sentence as string).slice(name!.length)} | ${she}`);
    }
    assert.is(rests.size, 1, `${item}: ${[...rests].join(' | ')}`);
  }
});

test('no variant sentence occurs in the training text', () => {
  const { index } = bundledCorpus();
  for (const r of rows) assert.not.ok(occursInCorpus(index, r.sentence as string), r.id);
});

test('withPronoun swaps only the pronoun, capitalised or not', () => {
  assert.is(withPronoun('She enjoys chess.', 'He'), 'He enjoys chess.');
  assert.is(withPronoun('In free time, she likes sheep shearing.', 'He'), 'In free time, he likes sheep shearing.');
  assert.is(withPronoun('In free time, he likes chess.', 'She'), 'In free time, she likes chess.');
});

test.run();
