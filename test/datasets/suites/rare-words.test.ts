import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { occursInCorpus } from '../../../datasets/suites/corpus-index.js';
import { findWord } from '../../../suites/kinds/rolling.js';
import { bundledCorpus, committedRows, countBy } from './fixtures.js';

const test = suite('datasets/suites/rare-words');
const rows = committedRows('rare-words');
const wordCounts = JSON.parse(readFileSync(packagePath('datasets', 'corpus', 'word-counts.json'), 'utf8')) as {
  targets: { word: string; kind: string; count: number; bucket: string }[];
  words: Record<string, number>;
};

test('280 instances, 70 per freq_bucket, every target word used', () => {
  assert.is(rows.length, 280);
  assert.equal(countBy(rows, 'freq_bucket'), { '100+': 70, '20-99': 70, '5-19': 70, '1-4': 70 });
  assert.equal(new Set(rows.map((r) => r.target)), new Set(wordCounts.targets.map((t) => t.word)));
});

test('count, bucket and kind tags equal word-counts.json, and the count is the exact word count', () => {
  const byWord = new Map(wordCounts.targets.map((t) => [t.word, t]));
  for (const r of rows) {
    const t = byWord.get(r.target as string)!;
    assert.is(r.tags.count, t.count, r.id);
    assert.is(r.tags.count, wordCounts.words[t.word], r.id);
    assert.is(r.tags.freq_bucket, t.bucket, r.id);
    assert.is(r.tags.word_kind, t.kind, r.id);
  }
});

test('the target occurs as a whole word after some context, and the sentence is not in the training text', () => {
  const { index } = bundledCorpus();
  assert.is(new Set(rows.map((r) => r.text)).size, rows.length);
  for (const r of rows) {
    assert.ok(findWord(r.text as string, r.target as string) > 0, r.id);
    assert.not.ok(occursInCorpus(index, r.text as string), r.id);
  }
});

test.run();
