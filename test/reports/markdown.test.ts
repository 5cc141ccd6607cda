import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { blockMarkdown, documentMarkdown } from '../../reports/markdown.js';
import { INJECTIONS } from './fixtures.js';

const test = suite('reports/markdown');

test('a table of injection payloads keeps its shape and shows them as text', () => {
  const md = blockMarkdown({ kind: 'table', table: { id: 't', columns: ['i', 'answer'], rows: INJECTIONS.map((p, i) => [String(i), p]) } });
  const lines = md.split('\n');
  assert.is(lines.length, INJECTIONS.length + 2);
  for (const line of lines) assert.is(line.replace(/\\\|/gu, '').split('|').length, 4, line);
  assert.not.match(md, /<[a-z/]/iu);
  assert.ok(md.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(md.includes('&lt;/textarea&gt;&lt;img src=x onerror=alert(2)&gt;'));
  assert.ok(md.includes('# heading \\*bold\\* \\_under\\_ \\`code\\` \\[link\\](http:\u2060//x) \\| pipe \\\\ back'));
});

test('payloads in paragraphs and list items cannot start a heading or a list', () => {
  const md = documentMarkdown('t', [{ id: 's', title: 'S', blocks: [{ kind: 'paragraph', text: INJECTIONS[7] }, { kind: 'list', items: ['-1+1', '# x'] }] }]);
  assert.ok(md.includes('\n\\# heading'));
  assert.ok(md.includes('- \\-1+1'));
  assert.ok(md.includes('- \\# x'));
  assert.not.match(md, /^## heading/mu);
});

test('code blocks use a fence longer than any backtick run in the text', () => {
  const md = blockMarkdown({ kind: 'code', text: 'a ``` b' });
  assert.ok(md.startsWith('````\n') && md.endsWith('\n````'));
});

test.run();
