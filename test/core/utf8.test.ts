import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeUtf8, firstInvalidUtf8 } from '../../core/utf8.js';
import { validateSuite } from '../../suites/load.js';

const test = suite('core/utf8 (strict decoding of user files)');

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('valid text, BOM stripped; every kind of invalid byte is found at its offset', () => {
  assert.is(firstInvalidUtf8(enc('plain, Ünïcödé, 日本, 🙂')), -1);
  const bom = decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]), 'f');
  assert.equal(bom, { text: 'a' });
  assert.is(firstInvalidUtf8(Uint8Array.from([0x61, 0xff])), 1, 'never a UTF-8 byte');
  assert.is(firstInvalidUtf8(Uint8Array.from([0x61, 0x62, 0xe9, 0x20])), 2, 'Latin-1 é');
  assert.is(firstInvalidUtf8(Uint8Array.from([0xc0, 0xaf])), 0, 'overlong /');
  assert.is(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80])), 0, 'UTF-16 surrogate');
  assert.is(firstInvalidUtf8(Uint8Array.from([0x61, 0xe6, 0x97])), 1, 'truncated at the end');
  assert.is(firstInvalidUtf8(Uint8Array.from([0xf4, 0x90, 0x80, 0x80])), 0, 'past U+10FFFF');
});

test('a suite data file with a Latin-1 byte on line 3 is an error naming file, line and offset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-utf8-'));
  writeFileSync(join(dir, 'suite.json'), JSON.stringify({ id: 'u', version: '1', description: 'd', dataset: 'data.jsonl', kind: 'generate', template: '{question}', answerField: 'answer', generation: { maxNewTokens: 4, stop: ['\n'] }, metrics: ['exact_match'] }));
  const lines = ['{"id":"a","question":"q","answer":"x"}', '{"id":"b","question":"q","answer":"y"}', '{"id":"c","question":"caf'];
  const bytes = Buffer.concat([Buffer.from(lines.join('\n')), Buffer.from([0xe9]), Buffer.from('","answer":"z"}\n')]);
  writeFileSync(join(dir, 'data.jsonl'), bytes);
  const v = validateSuite(dir);
  assert.is(v.suite, undefined);
  const offset = Buffer.from(lines.join('\n')).length;
  assert.equal(v.problems, [`${join(dir, 'data.jsonl')}:3: invalid UTF-8 (byte 0xe9 at offset ${offset}, column 26) — save the file as UTF-8`]);
});

test.run();
