/**
 * Serializes a trained BPE as Hugging Face `tokenizer.json` (BPE model, a Split +
 * ByteLevel pre-tokenizer, ByteLevel decoder, TemplateProcessing that prepends `<s>`) and the companion
 * `tokenizer_config.json` / `special_tokens_map.json`.
 */
import { type BpeModel, SPECIAL_TOKENS } from './bpe-train.js';
import { SPLIT_PATTERN } from './byte-level.js';

const [PAD, BOS, EOS] = SPECIAL_TOKENS;

function tokenFlags(content: string): Record<string, unknown> {
  return { content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

function addedToken(id: number, content: string): Record<string, unknown> {
  return { id, ...tokenFlags(content) };
}

/** The `tokenizer.json` object. */
export function tokenizerJson(model: BpeModel): Record<string, unknown> {
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false };
  const preTokenizer = {
    type: 'Sequence',
    pretokenizers: [{ type: 'Split', pattern: { Regex: SPLIT_PATTERN }, behavior: 'Isolated', invert: false }, byteLevel],
  };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((t) => addedToken(model.vocab.get(t) as number, t)),
    normalizer: null,
    pre_tokenizer: preTokenizer,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: BOS, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: BOS, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: BOS, type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { [BOS]: { id: BOS, ids: [model.vocab.get(BOS)], tokens: [BOS] } },
    },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(model.vocab),
      merges: model.merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

/** `tokenizer_config.json`: left padding, `<s>` added, no clean-up of spaces. */
export function tokenizerConfig(model: BpeModel, maxLength: number): Record<string, unknown> {
  const decoder: Record<string, unknown> = {};
  for (const t of SPECIAL_TOKENS) decoder[String(model.vocab.get(t))] = tokenFlags(t);
  return {
    add_bos_token: true,
    add_eos_token: false,
    added_tokens_decoder: decoder,
    bos_token: BOS,
    eos_token: EOS,
    pad_token: PAD,
    unk_token: null,
    clean_up_tokenization_spaces: false,
    model_max_length: maxLength,
    padding_side: 'left',
    tokenizer_class: 'PreTrainedTokenizerFast',
  };
}

/** `special_tokens_map.json`. */
export function specialTokensMap(): Record<string, unknown> {
  const tok = (content: string) => ({ content, lstrip: false, normalized: false, rstrip: false, single_word: false });
  return { bos_token: tok(BOS), eos_token: tok(EOS), pad_token: tok(PAD) };
}
