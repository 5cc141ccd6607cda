import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fillTemplate, TEMPLATES } from '../../../datasets/corpus/templates.js';
import type { Relation } from '../../../datasets/facts/sources.js';
import { occursInCorpus } from '../../../datasets/suites/corpus-index.js';
import { KNOWLEDGE_PER_CELL } from '../../../datasets/suites/knowledge.js';
import { bundledCorpus, committedFacts, committedRows, countBy } from './fixtures.js';

const test = suite('datasets/suites/knowledge');
const closed = committedRows('knowledge-closed');
const open = committedRows('knowledge-open');
const facts = committedFacts();

test('300 items, balanced: 100 per freq_bucket, 20 per bucket x relation', () => {
  assert.is(closed.length, 300);
  assert.equal(countBy(closed, 'freq_bucket'), { '20-99': 100, '5-19': 100, '1-4': 100 });
  const cells = countBy(closed.map((r) => ({ ...r, tags: { cell: `${r.tags.freq_bucket}|${r.tags.relation}` } })), 'cell');
  assert.is(Object.keys(cells).length, 15);
  for (const n of Object.values(cells)) assert.is(n, KNOWLEDGE_PER_CELL);
});

test('tags equal facts.jsonl: count, freq_bucket, relation; answers are the aliases', () => {
  for (const r of closed) {
    const f = facts.get(r.id);
    assert.ok(f, `${r.id} not in facts.jsonl`);
    assert.is(r.tags.count, f!.count, r.id);
    assert.is(r.tags.freq_bucket, f!.freq_bucket, r.id);
    assert.is(r.tags.relation, f!.relation, r.id);
    assert.is(r.tags.dialect, 'en');
    assert.equal(r.answer, f!.aliases, r.id);
  }
});

test('every question is its held-out template filled with the subject, and occurs nowhere in the training text', () => {
  const { index } = bundledCorpus();
  for (const r of closed) {
    const f = facts.get(r.id)!;
    const t = Number(String(r.tags.template).replace('heldout.', ''));
    assert.is(r.question, fillTemplate(TEMPLATES[f.relation as Relation].en.heldout[t], f.subject), r.id);
    assert.not.ok(occursInCorpus(index, r.question as string), `${r.id}: '${r.question}' is in the corpus`);
  }
});

test('open-book rows pair with closed-book rows: same ids, questions and answers, in order', () => {
  assert.equal(open.map((r) => r.id), closed.map((r) => r.id));
  open.forEach((r, i) => {
    assert.is(r.question, closed[i].question);
    assert.equal(r.answer, closed[i].answer);
  });
});

test('the passage states the fact once, and no distractor line holds an answer', () => {
  for (const r of open) {
    const f = facts.get(r.id)!;
    const lines = (r.passage as string).split('\n');
    assert.is(lines.length, 1 + Number(r.tags.distractors), r.id);
    const stating = lines.filter((l) => l.includes(f.subject) && l.includes(f.object));
    assert.is(stating.length, 1, `${r.id}: ${r.passage}`);
    const statements = TEMPLATES[f.relation as Relation].en.statements.map((s) => fillTemplate(s, f.subject, f.object));
    assert.ok(statements.includes(stating[0]), `${r.id}: '${stating[0]}' is not a corpus statement form`);
    for (const l of lines.filter((x) => x !== stating[0])) {
      for (const a of f.aliases) assert.not.ok(l.toLowerCase().includes(a.toLowerCase()), `${r.id}: distractor '${l}' holds '${a}'`);
    }
  }
});

test.run();
