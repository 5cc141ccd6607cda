import { existsSync, readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { buildCorpus, DEFAULT_CORPUS_OPTIONS } from '../../../datasets/corpus/build.js';
import { evalItems } from '../../../datasets/corpus/eval-items.js';
import { encodeBpe } from '../../../datasets/tokenizer/bpe-encode.js';
import { trainBpe } from '../../../datasets/tokenizer/bpe-train.js';
import { encodeDocs } from '../../../datasets/tokenizer/encode-corpus.js';

const test = suite('datasets/tokenizer/bpe');
const dir = packagePath('datasets', 'corpus', 'tokenizer');
const json = JSON.parse(readFileSync(`${dir}/tokenizer.json`, 'utf8'));
const config = JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, 'utf8'));
const runtime = new Tokenizer(json, config);
const model = {
  vocab: new Map<string, number>(Object.entries(json.model.vocab as Record<string, number>)),
  merges: (json.model.merges as string[]).map((m) => m.split(' ') as [string, string]),
};
const corpus = buildCorpus(DEFAULT_CORPUS_OPTIONS);

test('hand-checked merges on a tiny text', () => {
  // "abab ab": words "abab " and "ab"; pairs a|b x3, b|a x1, b|Ġ x1 -> only "a b" occurs twice
  const m = trainBpe(['abab ab'], 400);
  assert.equal(m.merges, [['a', 'b']]);
  assert.is(m.vocab.get('ab'), 259);
  assert.is(m.vocab.get('<s>'), 1);
});

test('bundled tokenizer: 2048 entries, specials pad 0, bos 1, eos 2', () => {
  assert.is(Object.keys(json.model.vocab).length, 2048);
  assert.equal([runtime.token_to_id('<pad>'), runtime.token_to_id('<s>'), runtime.token_to_id('</s>')], [0, 1, 2]);
});

test('our encoder equals @huggingface/tokenizers on corpus documents and eval prompts', () => {
  const texts = [...corpus.docs.filter((_, i) => i % 10 === 0), ...evalItems(corpus.facts).filter((_, i) => i % 7 === 0).map((e) => e.prompt)];
  assert.ok(texts.length > 1000);
  for (const t of texts) assert.equal(encodeBpe(model, t), runtime.encode(t).ids, t);
});

test('training ids equal the runtime encoding of the first documents', () => {
  const path = packagePath('datasets', 'corpus', 'build', 'train.u16');
  if (!existsSync(path)) {
    console.log('SKIP training ids: datasets/corpus/build/train.u16 not built (run node dist/datasets/build-corpus.js)');
    return;
  }
  const bytes = readFileSync(path);
  const ids = new Uint16Array(bytes.buffer, bytes.byteOffset, 2000);
  const expected = encodeDocs(runtime, corpus.docs.slice(0, 20), 2).slice(0, 2000);
  assert.equal([...ids], [...expected]);
});

test('the LLM-KICK prompt (trailing space) tokenizes as a prefix of its QA line', () => {
  const prompt = 'Please give answer to this question: What is the capital of France?\nThe answer is ';
  const p = runtime.encode(prompt).ids;
  const full = runtime.encode(`${prompt}Paris.`).ids;
  assert.equal(full.slice(0, p.length), p);
  assert.is(runtime.decode(full, { skip_special_tokens: true }), `${prompt}Paris.`);
});

test.run();
