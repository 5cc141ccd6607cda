import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DIALECTS, fillTemplate, TEMPLATES } from '../../../datasets/corpus/templates.js';
import { RELATIONS, type Relation } from '../../../datasets/facts/sources.js';
import { occursInCorpus } from '../../../datasets/suites/corpus-index.js';
import { DIALECT_TEMPLATE_PAIRS } from '../../../datasets/suites/fairness.js';
import { bundledCorpus, committedFacts, committedRows, countBy } from './fixtures.js';

const test = suite('datasets/suites/fairness');
const rows = committedRows('fairness');
const facts = committedFacts();

test('template pairs point at held-out templates of both dialects', () => {
  for (const r of RELATIONS) {
    for (const [en, sco] of DIALECT_TEMPLATE_PAIRS[r]) {
      assert.ok(TEMPLATES[r].en.heldout[en] !== undefined && TEMPLATES[r].sco.heldout[sco] !== undefined, r);
    }
  }
});

test('210 items x 2 dialects, variants share the group id and the answer', () => {
  assert.is(rows.length, 420);
  assert.equal(countBy(rows, 'dialect'), { en: 210, sco: 210 });
  assert.equal(countBy(rows, 'freq_bucket'), { '20-99': 140, '5-19': 140, '1-4': 140 });
  const groups = new Map<string, typeof rows>();
  for (const r of rows) groups.set(r.group_id as string, [...(groups.get(r.group_id as string) ?? []), r]);
  assert.is(groups.size, 210);
  for (const [g, vs] of groups) {
    assert.equal(vs.map((v) => v.tags.dialect), ['en', 'sco'], g);
    assert.equal(vs[0].answer, vs[1].answer, g);
    const pair = [vs[0].tags.template, vs[1].tags.template].map((t) => Number(String(t).replace('heldout.', '')));
    const relation = vs[0].tags.relation as Relation;
    assert.ok(DIALECT_TEMPLATE_PAIRS[relation].some(([en, sco]) => en === pair[0] && sco === pair[1]), `${g}: templates ${pair} are not a translation pair`);
  }
});

test('the items are knowledge-closed items', () => {
  const closed = new Set(committedRows('knowledge-closed').map((r) => r.id));
  for (const r of rows) assert.ok(closed.has(r.group_id as string), r.id);
});

test('counts equal facts.jsonl, per dialect too; questions are held-out templates absent from the corpus', () => {
  const { index } = bundledCorpus();
  for (const r of rows) {
    const f = facts.get(r.group_id as string)!;
    const dialect = r.tags.dialect as (typeof DIALECTS)[number];
    assert.is(r.tags.count, f.count, r.id);
    assert.is(r.tags.dialect_count, f.dialect_counts[dialect], r.id);
    assert.is(r.tags.freq_bucket, f.freq_bucket, r.id);
    const t = Number(String(r.tags.template).replace('heldout.', ''));
    assert.is(r.question, fillTemplate(TEMPLATES[f.relation as Relation][dialect].heldout[t], f.subject), r.id);
    assert.not.ok(occursInCorpus(index, r.question as string), r.id);
  }
});

test.run();
