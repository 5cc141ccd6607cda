import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { heldoutDocuments, PERPLEXITY_DOCS } from '../../../datasets/suites/perplexity.js';
import { bundledCorpus, committedRows } from './fixtures.js';

const test = suite('datasets/suites/perplexity');
const rows = committedRows('perplexity');

test('the documents are the first 60 of heldout-text.txt, verbatim', () => {
  const docs = heldoutDocuments(readFileSync(packagePath('datasets', 'corpus', 'heldout-text.txt'), 'utf8'));
  assert.is(rows.length, PERPLEXITY_DOCS);
  assert.equal(rows.map((r) => r.text), docs.slice(0, PERPLEXITY_DOCS));
});

test('no line of a document is a training line (a QA item counts as one line with its answer)', () => {
  const { index } = bundledCorpus();
  let lines = 0;
  for (const r of rows) {
    for (const line of (r.text as string).split(/\n(?!The answer is )/)) {
      lines++;
      assert.not.ok(index.lines.has(line), `${r.id}: '${line}'`);
    }
  }
  assert.ok(lines > 400, `lines ${lines}`);
});

test.run();
