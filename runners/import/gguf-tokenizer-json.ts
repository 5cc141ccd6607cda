/**
 * A GGUF file's tokenizer.ggml.* vocabulary -> tokenizer.json + tokenizer_config.json for
 * @huggingface/tokenizers, the inverse of gguf-vocab.ts:
 *  - 'llama' (SPM): BPE with byte fallback on '▁' pieces; merges are every split of a
 *    token into two vocabulary pieces, ordered by the token's score (highest first), which
 *    is how SPM's highest-score-first merging reads as BPE (transformers' LlamaConverter).
 *  - 'gpt2': byte-level BPE with the file's merges and the split regex of its pre-tokenizer.
 */
import { InputError } from '../../core/errors.js';
import { ggufNumber, ggufString, type GgufFile } from '../formats/gguf/index.js';
import { KNOWN_BYTE_LEVEL_PRE, TokenType } from './gguf-vocab.js';

type Json = Record<string, unknown>;

/** What the reconstruction produced. */
export interface TokenizerFiles {
  readonly tokenizer: Json;
  readonly tokenizerConfig: Json;
  /** 'llama' or 'gpt2' (+ pre-tokenizer name). */
  readonly form: string;
}

function list<T>(file: GgufFile, key: string, fix: string): T[] {
  const v = file.metadata.get(key);
  if (!Array.isArray(v)) throw new InputError(`${file.path}: metadata '${key}' is missing; ${fix}`);
  return v as T[];
}

/** Rebuilds the tokenizer files of `file`. */
export function tokenizerFromGguf(file: GgufFile): TokenizerFiles {
  const kind = ggufString(file, 'tokenizer.ggml.model');
  const fix = 'the file needs an embedded llama.cpp vocabulary (convert it with a current convert_hf_to_gguf.py)';
  if (kind !== 'llama' && kind !== 'gpt2') throw new InputError(`${file.path}: tokenizer.ggml.model ${JSON.stringify(kind)} is not supported for import (only 'llama' SPM and 'gpt2' BPE)`);
  const tokens = list<string>(file, 'tokenizer.ggml.tokens', fix);
  const types = file.metadata.has('tokenizer.ggml.token_type') ? list<number>(file, 'tokenizer.ggml.token_type', fix) : tokens.map(() => TokenType.NORMAL);
  const scores = file.metadata.has('tokenizer.ggml.scores') ? list<number>(file, 'tokenizer.ggml.scores', fix) : tokens.map(() => 0);
  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => { if (!(t in vocab)) vocab[t] = i; });
  const id = (key: string): number | undefined => ggufNumber(file, `tokenizer.ggml.${key}_token_id`);
  const text = (i: number | undefined): string | null => (i !== undefined && i >= 0 && i < tokens.length ? tokens[i] : null);
  const bos = id('bos'), eos = id('eos'), unk = id('unknown'), pad = id('padding');
  const addBos = file.metadata.get('tokenizer.ggml.add_bos_token') ?? kind === 'llama';
  const addEos = file.metadata.get('tokenizer.ggml.add_eos_token') === true;
  const special = (t: number): boolean => t === TokenType.CONTROL || t === TokenType.UNKNOWN;
  const added = tokens.flatMap((content, i) => (special(types[i]) || types[i] === TokenType.USER_DEFINED
    ? [{ id: i, content, single_word: false, lstrip: false, rstrip: false, normalized: !special(types[i]), special: special(types[i]) }]
    : []));
  const template = (seq: Json[]): Json[] => [...(addBos && bos !== undefined ? [{ SpecialToken: { id: tokens[bos], type_id: 0 } }] : []), ...seq, ...(addEos && eos !== undefined ? [{ SpecialToken: { id: tokens[eos], type_id: 0 } }] : [])];
  const specialTokens: Json = {};
  for (const i of [bos, eos]) if (i !== undefined && text(i) !== null) specialTokens[tokens[i]] = { id: tokens[i], ids: [i], tokens: [tokens[i]] };
  const postProcessor = { type: 'TemplateProcessing', single: template([{ Sequence: { id: 'A', type_id: 0 } }]), pair: template([{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }]), special_tokens: specialTokens };

  let model: Json, normalizer: Json | null, preTokenizer: Json | null, decoder: Json, form: string;
  if (kind === 'llama') {
    const spacePrefix = file.metadata.get('tokenizer.ggml.add_space_prefix') ?? true;
    const merges: { a: string; b: string; score: number; id: number }[] = [];
    tokens.forEach((t, i) => {
      if (types[i] !== TokenType.NORMAL && types[i] !== TokenType.USER_DEFINED) return;
      const chars = [...t];
      for (let k = 1; k < chars.length; k++) {
        const a = chars.slice(0, k).join(''), b = chars.slice(k).join('');
        if (a in vocab && b in vocab) merges.push({ a, b, score: scores[i], id: i });
      }
    });
    merges.sort((x, y) => y.score - x.score || x.id - y.id || vocab[x.a] - vocab[y.a]);
    model = { type: 'BPE', dropout: null, unk_token: text(unk), continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: types.includes(TokenType.BYTE), ignore_merges: false, vocab, merges: merges.map((m) => [m.a, m.b]) };
    normalizer = { type: 'Sequence', normalizers: [...(spacePrefix ? [{ type: 'Prepend', prepend: '\u2581' }] : []), { type: 'Replace', pattern: { String: ' ' }, content: '\u2581' }] };
    preTokenizer = null;
    decoder = { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '\u2581' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, ...(spacePrefix ? [{ type: 'Strip', content: ' ', start: 1, stop: 0 }] : [])] };
    form = `llama${spacePrefix ? '' : ' (no space prefix)'}`;
  } else {
    const pre = ggufString(file, 'tokenizer.ggml.pre') ?? 'default';
    const regex = Object.entries(KNOWN_BYTE_LEVEL_PRE).find(([, name]) => name === pre)?.[0];
    if (!regex && pre !== 'default') throw new InputError(`${file.path}: tokenizer.ggml.pre '${pre}' is not supported for import (known: ${Object.values(KNOWN_BYTE_LEVEL_PRE).join(', ')}, default)`);
    const merges = list<string>(file, 'tokenizer.ggml.merges', fix).map((m) => m.split(' ', 2));
    model = { type: 'BPE', dropout: null, unk_token: text(unk), continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges };
    normalizer = null;
    const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: regex === undefined };
    preTokenizer = regex ? { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated', invert: false }, { ...byteLevel, use_regex: false }] } : byteLevel;
    decoder = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
    form = `gpt2 (${pre})`;
  }
  const tokenizer = { version: '1.0', truncation: null, padding: null, added_tokens: added, normalizer, pre_tokenizer: preTokenizer, post_processor: postProcessor, decoder, model };
  const tokenizerConfig: Json = {
    add_bos_token: addBos, add_eos_token: addEos, bos_token: text(bos), eos_token: text(eos), unk_token: text(unk), pad_token: text(pad),
    clean_up_tokenization_spaces: false, tokenizer_class: 'PreTrainedTokenizerFast',
  };
  return { tokenizer, tokenizerConfig, form };
}
