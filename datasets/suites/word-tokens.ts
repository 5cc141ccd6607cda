/**
 * How many tokens the runtime scores for a target word: the bundled tokenizer's encoding
 * of `before + word` minus its longest common prefix with the encoding of the context
 * (`before` without trailing spaces), which is how `runners/text-tokenizer.ts` splits a
 * loglikelihood pair. Feeds the rare-words chance level.
 */
import { readFileSync } from 'node:fs';
import { InfraError, messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { commonPrefixLength } from '../../core/text.js';
import { runtimeTokenizer } from '../tokenizer/encode-corpus.js';

/** Token counts of target words, and the vocabulary they are drawn from. */
export interface WordTokenCounter {
  readonly vocabSize: number;
  /** Tokens scored for `word` after the text `before` (which ends where the word starts). */
  count(before: string, word: string): number;
}

/** The counter of the bundled tokenizer (`datasets/corpus/tokenizer/`). */
export function bundledWordTokenCounter(): WordTokenCounter {
  const dir = packagePath('datasets', 'corpus', 'tokenizer');
  let json: object;
  let config: object;
  try {
    json = JSON.parse(readFileSync(`${dir}/tokenizer.json`, 'utf8')) as object;
    config = JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, 'utf8')) as object;
  } catch (e) {
    throw new InfraError(`cannot read the bundled tokenizer in ${dir} (${messageOf(e)}); rebuild it with build-corpus`);
  }
  const tok = runtimeTokenizer(json, config);
  const encode = (text: string): number[] => (text === '' ? [] : tok.encode(text, { add_special_tokens: false }).ids);
  const vocabSize = Math.max(...tok.get_vocab(true).values()) + 1;
  return {
    vocabSize,
    count(before, word) {
      const whole = encode(before + word);
      return whole.length - commonPrefixLength(encode(before.trimEnd()), whole);
    },
  };
}
