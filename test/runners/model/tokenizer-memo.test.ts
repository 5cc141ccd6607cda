/**
 * The tokenizer speed-ups (runners/model/tokenizer-memo.ts) change no token id: the bundled
 * tokenizer (Split + ByteLevel, BPE) and stories260k's (BPE, no pre-tokenizer) with them,
 * against the library's own tokenizer without them, on every knowledge-closed question, a
 * few-shot header and awkward text, each encoded twice (the second time from the memos).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readJsonl } from '../../../core/jsonl.js';
import { packagePath } from '../../../core/paths.js';
import { speedUpModel, speedUpPreTokenizer } from '../../../runners/model/tokenizer-memo.js';
import { storiesDir } from '../fixtures.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';

const test = suite('runners/model/pre-token-memo');

function libraryTokenizer(dir: string): Tokenizer {
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as object;
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as object;
  return new Tokenizer(json, config);
}

type Parts = { pre_tokenizer: unknown; model: unknown };

function texts(): string[] {
  const questions = readJsonl(packagePath('suites', 'knowledge-closed', 'data.jsonl')).map(({ value }) => (value as { question: string }).question);
  const header = questions.slice(0, 5).map((q) => `Q: ${q}\nA: yes\n\n`).join('');
  return [...questions, ...questions.map((q) => `${header}Q: ${q}\nA:`), 'naïve café — 日本語 🙂\t\ttabs  and   spaces ', "it's we'll 1234 x+y=z\n\n\n", '<s> </s> <unk>', ''];
}

function sameIds(dir: string, wrappers: number): void {
  const plain = libraryTokenizer(dir);
  const fast = libraryTokenizer(dir);
  const parts = fast as unknown as Parts;
  assert.is(speedUpPreTokenizer(parts.pre_tokenizer) + speedUpModel(parts.model), wrappers, `${dir}: wrappers installed`);
  for (let round = 0; round < 2; round++) {
    for (const text of texts()) assert.equal(fast.encode(text).ids, plain.encode(text).ids, JSON.stringify(text).slice(0, 80));
  }
  // the tokenizer compbench opens carries them too, and agrees
  const folder = loadModelFolder(dir);
  for (const text of texts().slice(0, 60)) assert.equal(folder.tokenizer.encodePlain(text), plain.encode(text, { add_special_tokens: false }).ids);
}

test('the bundled tokenizer: byte-level memo, fused sequence, BPE memo; the same ids as the library', () => {
  // ByteLevel memo + the Sequence loops + the BPE map
  sameIds(packagePath('datasets', 'models', 'teacher'), 3);
});

test('stories260k: no pre-tokenizer, BPE memo only; the same ids as the library', () => {
  const dir = storiesDir('tokenizer memo (stories260k)');
  if (dir) sameIds(dir, 1);
});

test('objects of another shape are left as they are', () => {
  assert.is(speedUpPreTokenizer(null), 0);
  assert.is(speedUpPreTokenizer({ pre_tokenize_text: () => [] }), 0);
  assert.is(speedUpModel({ bpe: () => [] }), 0);
});

test.run();
