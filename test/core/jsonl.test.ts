import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { appendJsonl, parseJsonl, readJsonl, toJsonl } from '../../core/jsonl.js';

const test = suite('core/jsonl');

test('parses lines with their numbers, skips blanks, tolerates BOM and CRLF', () => {
  const { rows, problems } = parseJsonl('\uFEFF{"a":1}\r\n\n[2]\r\n"x"\n', 'f.jsonl');
  assert.equal(rows, [{ line: 1, value: { a: 1 } }, { line: 3, value: [2] }, { line: 4, value: 'x' }]);
  assert.equal(problems, []);
});

test('collects every malformed line with file and line', () => {
  const { rows, problems } = parseJsonl('{"a":1}\n{oops}\n{"b":2}\n{"c":\n', 'f.jsonl');
  assert.is(rows.length, 2);
  assert.is(problems.length, 2);
  assert.match(problems[0], /^f\.jsonl:2: malformed JSON \(.+\) — write exactly one JSON value per line$/);
  assert.match(problems[1], /^f\.jsonl:4: /);
});

test('round trip through a file; append fsyncs and adds; missing file is an InputError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-jsonl-'));
  try {
    const file = join(dir, 'x.jsonl');
    appendJsonl(file, [{ a: 1 }]);
    appendJsonl(file, [{ b: 'two\nlines' }, [3]]);
    assert.is(readFileSync(file, 'utf8'), toJsonl([{ a: 1 }, { b: 'two\nlines' }, [3]]));
    assert.equal(readJsonl(file).map((r) => r.line), [1, 2, 3]);
    assert.throws(() => readJsonl(join(dir, 'none.jsonl')), (e: Error) => e instanceof InputError && /file not found/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
