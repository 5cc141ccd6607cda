import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, messageOf } from '../../../core/errors.js';
import { TextTokenizer } from '../../model/text-tokenizer.js';
import type { LlamaTokenizer } from './llama-tokenizer.js';

/** Texts both tokenizers must split alike: words, punctuation, digits, spaces, accents, a newline. */
export const TOKENIZER_PROBES = [
  'Once upon a time, there was a little girl named Lily.',
  ' She liked to play in the park with her big red ball!',
  'Tom said: "I have 3 apples and 12 pears."',
  'The  café   was naïve about Zürich.\nNew line.',
] as const;

function readJsonObject(path: string): object {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof v === 'object' && v !== null) return v;
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${messageOf(e)}); fix or remove the file`);
  }
  throw new InputError(`${path}: expected a JSON object`);
}

/**
 * When `dir` (the folder holding the GGUF) also has a tokenizer.json, checks that it and
 * llama.cpp's tokenizer from the GGUF split {@link TOKENIZER_PROBES} into the same ids:
 * otherwise scores computed here and on the ONNX twin of the folder would not be
 * comparable. Does nothing without a tokenizer.json.
 */
export function checkTokenizerAgreement(dir: string, ggufPath: string, llama: LlamaTokenizer): void {
  const path = join(dir, 'tokenizer.json');
  if (!existsSync(path)) return;
  const configPath = join(dir, 'tokenizer_config.json');
  const config = existsSync(configPath) ? readJsonObject(configPath) : {};
  const hf = new TextTokenizer(readJsonObject(path), config, llama.prefixIds[0], path);
  for (const text of TOKENIZER_PROBES) {
    const a = llama.encodePlain(text);
    const b = hf.encodePlain(text);
    if (a.length !== b.length || a.some((id, i) => id !== b[i])) {
      throw new InputError(
        `${path} and ${ggufPath} tokenize ${JSON.stringify(text)} differently (${b.length} vs ${a.length} ids): put the model's own tokenizer.json beside the GGUF, or remove it`,
      );
    }
  }
}
