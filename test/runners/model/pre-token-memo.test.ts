/**
 * The per-word memo of the byte-level pre-tokenizer changes no token id: the bundled
 * tokenizer (Split + ByteLevel) with the memo against the library's own tokenizer without it,
 * on every knowledge-closed question, a few-shot header and awkward text, each encoded twice
 * (the second time from the memo); a tokenizer without a byte-level step is left alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readJsonl } from '../../../core/jsonl.js';
import { packagePath } from '../../../core/paths.js';
import { memoizeByteLevel } from '../../../runners/model/pre-token-memo.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';

const test = suite('runners/model/pre-token-memo');

function libraryTokenizer(dir: string): Tokenizer {
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as object;
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as object;
  return new Tokenizer(json, config);
}

test('the memo gives the same ids as the library, first and second time', () => {
  const dir = packagePath('datasets', 'models', 'teacher');
  const plain = libraryTokenizer(dir);
  const memoized = libraryTokenizer(dir);
  assert.is(memoizeByteLevel((memoized as unknown as { pre_tokenizer: unknown }).pre_tokenizer), 1);
  const questions = readJsonl(packagePath('suites', 'knowledge-closed', 'data.jsonl')).map(({ value }) => (value as { question: string }).question);
  const header = questions.slice(0, 5).map((q) => `Q: ${q}\nA: yes\n\n`).join('');
  const texts = [...questions, ...questions.map((q) => `${header}Q: ${q}\nA:`), 'naïve café — 日本語 🙂\t\ttabs  and   spaces ', "it's we'll 1234 x+y=z\n\n\n", ''];
  for (let round = 0; round < 2; round++) {
    for (const text of texts) assert.equal(memoized.encode(text).ids, plain.encode(text).ids, JSON.stringify(text).slice(0, 80));
  }
  // the tokenizer compbench opens carries the memo too, and agrees
  const folder = loadModelFolder(dir);
  for (const text of texts.slice(0, 50)) assert.equal(folder.tokenizer.encodePlain(text), plain.encode(text, { add_special_tokens: false }).ids);
});

test('a tokenizer without a byte-level pre-tokenizer is left as it is', () => {
  assert.is(memoizeByteLevel(null), 0);
  assert.is(memoizeByteLevel({ tokenizers: [{ pre_tokenize_text: () => [] }] }), 0);
});

test.run();
