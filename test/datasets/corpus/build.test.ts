import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { buildCorpus, DEFAULT_CORPUS_OPTIONS } from '../../../datasets/corpus/build.js';
import { corpusText, factsJsonl, sha256Hex } from '../../../datasets/corpus/serialize.js';
import { DIALECTS, fillTemplate, TEMPLATES } from '../../../datasets/corpus/templates.js';
import { RELATIONS } from '../../../datasets/facts/sources.js';

const test = suite('datasets/corpus/build');
const corpus = buildCorpus(DEFAULT_CORPUS_OPTIONS);
const manifest = JSON.parse(readFileSync(packagePath('datasets', 'corpus', 'manifest.json'), 'utf8'));

test('same seed gives the same bytes, matching the committed manifest', () => {
  const again = buildCorpus(DEFAULT_CORPUS_OPTIONS);
  assert.is(corpusText(again), corpusText(corpus));
  // reference: datasets/corpus/manifest.json written by build-corpus with the default seed
  assert.is(sha256Hex(corpusText(corpus)), manifest.corpus.sha256);
  assert.is(sha256Hex(factsJsonl(corpus)), manifest.facts.sha256);
});

test('a different seed gives a different corpus', () => {
  const other = buildCorpus({ ...DEFAULT_CORPUS_OPTIONS, seed: DEFAULT_CORPUS_OPTIONS.seed + 1 });
  assert.is.not(sha256Hex(corpusText(other)), manifest.corpus.sha256);
});

test('each fact count is the exact number of its lines, split by dialect', () => {
  const seen = new Map<string, { en: number; sco: number }>();
  for (const l of corpus.lines) {
    if (l.kind !== 'fact') continue;
    const c = seen.get(l.tags.fact) ?? { en: 0, sco: 0 };
    c[l.tags.dialect as 'en' | 'sco']++;
    seen.set(l.tags.fact, c);
  }
  for (const f of corpus.facts) {
    const c = seen.get(f.id) ?? { en: 0, sco: 0 };
    assert.equal(c, f.dialectCounts, f.id);
    assert.is(c.en + c.sco, f.count, f.id);
  }
});

test('buckets are populated: common >= 20, rare 1-4, and the minority dialect is about 10%', () => {
  const common = corpus.facts.filter((f) => f.count >= 20).length;
  const rare = corpus.facts.filter((f) => f.count <= 4).length;
  assert.ok(common > 200 && rare > 400, `common ${common}, rare ${rare}`);
  const en = corpus.facts.reduce((s, f) => s + f.dialectCounts.en, 0);
  const sco = corpus.facts.reduce((s, f) => s + f.dialectCounts.sco, 0);
  assert.ok(sco / en > 0.07 && sco / en < 0.13, `sco/en ${sco / en}`);
});

test('held-out question templates never occur in the corpus', () => {
  const questions = new Set<string>();
  for (const l of corpus.lines) {
    const m = /^Please give answer to this question: (.*)\nThe answer is /s.exec(l.text);
    if (m) questions.add(m[1]);
  }
  for (const r of RELATIONS) {
    for (const d of DIALECTS) {
      const t = TEMPLATES[r][d];
      for (const h of t.heldout) assert.not.ok(t.train.includes(h) || TEMPLATES[r].en.train.includes(h), h);
    }
  }
  for (const f of corpus.facts) {
    for (const d of DIALECTS) {
      for (const h of TEMPLATES[f.relation][d].heldout) assert.not.ok(questions.has(fillTemplate(h, f.subject)), `${f.id} ${h}`);
    }
  }
});

test('no held-out perplexity line occurs in the training corpus', () => {
  const train = new Set(corpus.lines.map((l) => l.text));
  const held = corpus.heldoutText.split('\n\n').flatMap((d) => d.split(/\n(?!The answer is )/));
  assert.ok(held.length > 300, `held-out lines ${held.length}`);
  for (const line of held) if (line.trim()) assert.not.ok(train.has(line.trim()), line);
});

test('target word counts are exact counts in the corpus text', () => {
  const text = corpusText(corpus);
  for (const t of corpus.targets.slice(0, 10)) {
    const n = text.match(new RegExp(`(?<!\\p{L})${t.word}(?!\\p{L})`, 'gu'))?.length ?? 0;
    assert.is(n, t.count, t.word);
  }
});

test.run();
