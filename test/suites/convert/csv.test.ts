import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { csvObjects, parseCsv } from '../../../suites/convert/csv.js';

const test = suite('suites/convert/csv');

test('RFC 4180: quoted commas, doubled quotes, newlines inside quotes, CRLF', () => {
  const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\r\n';
  assert.equal(parseCsv(text), [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
    { line: 3, fields: ['2', 'two\nlines', ''] },
  ]);
});

test('no trailing newline, blank lines skipped, header objects', () => {
  assert.equal(csvObjects(',name\n0,"A"\n\n1,B'), [
    { line: 2, row: { '': '0', name: 'A' } },
    { line: 4, row: { '': '1', name: 'B' } },
  ]);
  assert.throws(() => parseCsv('a\n"open'), /unterminated quoted field starting on line 2/);
});

test.run();
