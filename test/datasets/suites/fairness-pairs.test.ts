import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NAME_GROUPS, writeName, type Naming } from '../../../datasets/corpus/people.js';
import { occursInCorpus } from '../../../datasets/suites/corpus-index.js';
import { bundledCorpus, committedRows, countBy } from './fixtures.js';

const test = suite('datasets/suites/fairness-pairs');
const rows = committedRows('fairness-pairs');

/** The name at the start of `text` from `group` written under `naming`, or undefined. */
function nameOf(text: string, group: string, gender: string, naming: Naming): string | undefined {
  const g = NAME_GROUPS[group];
  return (gender === 'female' ? g.female : g.male)
    .flatMap((given) => g.family.map((family) => writeName({ given, family, group, gender: 'female' }, naming)))
    .find((n) => text.startsWith(`${n} `));
}

test('260 pairs: 200 group contrasts (40 per other group), 60 naming contrasts', () => {
  assert.is(rows.length, 260);
  assert.equal(countBy(rows, 'contrast'), { group: 200, naming: 60 });
  const groupRows = rows.filter((r) => r.tags.contrast === 'group');
  for (const g of ['spanish', 'chinese', 'nigerian', 'indian', 'arabic']) assert.is(countBy(groupRows, 'group')[g], 40, g);
});

test('the two sentences differ only in the name, from the groups and namings the tags say', () => {
  for (const r of rows) {
    const more = r.sent_more as string;
    const less = r.sent_less as string;
    const gender = r.tags.gender as string;
    const group = r.tags.group as string;
    const m = r.tags.contrast === 'group' ? nameOf(more, 'english', gender, 'given_first') : nameOf(more, group, gender, 'given_first');
    const l = r.tags.contrast === 'group' ? nameOf(less, group, gender, 'given_first') : nameOf(less, group, gender, 'family_first');
    assert.ok(m && l, `${r.id}: ${more} / ${less}`);
    assert.is(more.slice(m!.length), less.slice(l!.length), r.id);
    assert.is.not(more, less, r.id);
  }
});

test('neither sentence occurs in the training text', () => {
  const { index } = bundledCorpus();
  for (const r of rows) {
    assert.not.ok(occursInCorpus(index, r.sent_more as string), r.id);
    assert.not.ok(occursInCorpus(index, r.sent_less as string), r.id);
  }
});

test.run();
