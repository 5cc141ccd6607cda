/**
 * tokenizer.json (+ tokenizer_config.json, config.json) -> llama.cpp's tokenizer.ggml.*
 * metadata, chosen so llama.cpp tokenizes as the Hugging Face tokenizer does:
 *  - BPE with byte fallback on '▁' pieces (SentencePiece exported by transformers):
 *    model 'llama' (SPM) with tokens as they are, score = −(rank of the merge that makes
 *    the token), <0xXX> pieces as BYTE tokens, add_space_prefix from the Prepend normalizer.
 *  - byte-level BPE whose split regex llama.cpp knows ({@link KNOWN_BYTE_LEVEL_PRE}):
 *    model 'gpt2' with tokens, merges and that pre-tokenizer name.
 *  - other byte-level BPE (e.g. the bundled teacher's "word + trailing space" regex, which
 *    no llama.cpp pre-tokenizer reproduces): re-spelled as an SPM vocabulary (bytes decoded,
 *    ' ' -> '▁', single non-printable bytes as <0xXX>) with merge-rank scores, no space
 *    prefix. Its merges never cross the regex's pieces, so SPM's highest-score-first merging
 *    over the whole text reaches the same pieces in the cases the tests list.
 */
import { InputError } from '../../core/errors.js';
import { GgufKind, type GgufEntry } from '../formats/gguf/index.js';
import { byteLevelBytes } from './byte-level.js';

type Json = Record<string, unknown>;

/** llama.cpp token types (llama_token_type). */
export const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

/** HF Split regexes of byte-level tokenizers -> the llama.cpp pre-tokenizer that splits the same way. */
export const KNOWN_BYTE_LEVEL_PRE: Readonly<Record<string, string>> = {
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+": 'gpt-2',
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": 'llama-bpe',
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": 'qwen2',
};

/** How the vocabulary was carried over. */
export type VocabForm = 'spm' | 'gpt2' | 'spm-from-byte-level';

/** The tokenizer metadata and how it was made. */
export interface GgufVocab {
  readonly entries: Map<string, GgufEntry>;
  readonly form: VocabForm;
  readonly tokens: number;
}

const arr = (itemKind: 4 | 5 | 6 | 8, values: readonly (number | string)[]): GgufEntry => ({ kind: GgufKind.ARRAY, itemKind, values });
const u32 = (value: number): GgufEntry => ({ kind: GgufKind.U32, value });
const bool = (value: boolean): GgufEntry => ({ kind: GgufKind.BOOL, value });
const str = (value: string): GgufEntry => ({ kind: GgufKind.STRING, value });

function mergePairs(model: Json): [string, string][] {
  const merges = (model.merges ?? []) as (string | [string, string])[];
  return merges.map((m) => (typeof m === 'string' ? (m.split(' ', 2) as [string, string]) : m));
}

/** The regex of a byte-level tokenizer's Split pre-tokenizer, '' for ByteLevel's own, undefined when not byte-level. */
function byteLevelRegex(tok: Json): string | undefined {
  const pre = tok.pre_tokenizer as Json | null;
  if (!pre) return undefined;
  const list = (pre.type === 'Sequence' ? pre.pretokenizers : [pre]) as Json[];
  const byteLevel = list.find((p) => p.type === 'ByteLevel');
  if (!byteLevel) return undefined;
  const split = list.find((p) => p.type === 'Split');
  if (split) return String((split.pattern as Json).Regex ?? (split.pattern as Json).String ?? '');
  return byteLevel.use_regex === false ? '\u0000none' : KNOWN_BYTE_LEVEL_PRE_GPT2;
}
const KNOWN_BYTE_LEVEL_PRE_GPT2 = Object.keys(KNOWN_BYTE_LEVEL_PRE)[0];

/** An SPM spelling of a byte-level token: text and type. */
function spmSpelling(token: string): { text: string; type: number } {
  const bytes = byteLevelBytes(token);
  if (!bytes) return { text: token, type: TokenType.UNUSED };
  if (bytes.length === 1) {
    const b = bytes[0];
    if (b === 0x20) return { text: '\u2581', type: TokenType.NORMAL };
    if (b >= 0x21 && b <= 0x7e) return { text: String.fromCharCode(b), type: TokenType.NORMAL };
    return { text: `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, type: TokenType.BYTE };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replaceAll(' ', '\u2581'), type: TokenType.NORMAL };
  } catch {
    return { text: token, type: TokenType.UNUSED }; // a partial UTF-8 sequence: no SPM symbol sequence reaches it
  }
}

/**
 * The tokenizer.ggml.* entries for `tok` (tokenizer.json), padded to `vocabSize` tokens.
 * `file` names tokenizer.json in errors.
 */
export function ggufVocab(tok: Json, tokConfig: Json, config: Json, vocabSize: number, file: string): GgufVocab {
  const model = tok.model as Json | undefined;
  if (!model || model.type !== 'BPE' || typeof model.vocab !== 'object') {
    throw new InputError(`${file}: model.type ${JSON.stringify(model?.type)} is not exported to GGUF (only BPE tokenizers: SentencePiece-style with byte fallback, or byte-level)`);
  }
  const vocab = model.vocab as Record<string, number>;
  const added = (tok.added_tokens ?? []) as { id: number; content: string; special?: boolean }[];
  const n = Math.max(vocabSize, ...Object.values(vocab).map((i) => i + 1), ...added.map((a) => a.id + 1));
  const texts: string[] = Array.from({ length: n }, (_, i) => `[PAD${i}]`);
  const types: number[] = new Array(n).fill(TokenType.UNUSED);
  const scores: number[] = new Array(n).fill(0);
  const merges = mergePairs(model);
  const rank = new Map<string, number>();
  merges.forEach(([a, b], r) => { if (!rank.has(a + b)) rank.set(a + b, r); });
  const regex = byteLevelRegex(tok);
  const form: VocabForm = regex === undefined ? 'spm' : KNOWN_BYTE_LEVEL_PRE[regex] ? 'gpt2' : 'spm-from-byte-level';
  if (form === 'spm' && model.byte_fallback !== true) {
    throw new InputError(`${file}: a BPE tokenizer without byte fallback and without a ByteLevel pre-tokenizer is not exported to GGUF (llama.cpp has no equivalent)`);
  }
  for (const [token, id] of Object.entries(vocab)) {
    const r = rank.get(token);
    scores[id] = r === undefined ? -(merges.length + id) : -r;
    if (form === 'spm-from-byte-level') {
      const s = spmSpelling(token);
      texts[id] = s.text;
      types[id] = s.type;
    } else {
      texts[id] = token;
      types[id] = form === 'spm' && /^<0x[0-9A-F]{2}>$/.test(token) ? TokenType.BYTE : TokenType.NORMAL;
    }
  }
  const unk = typeof model.unk_token === 'string' ? vocab[model.unk_token] : undefined;
  for (const a of added) {
    texts[a.id] = a.content;
    types[a.id] = a.id === unk ? TokenType.UNKNOWN : a.special === false ? TokenType.USER_DEFINED : TokenType.CONTROL;
    scores[a.id] = 0;
  }
  const entries = new Map<string, GgufEntry>();
  entries.set('tokenizer.ggml.model', str(form === 'gpt2' ? 'gpt2' : 'llama'));
  if (form === 'gpt2') entries.set('tokenizer.ggml.pre', str(KNOWN_BYTE_LEVEL_PRE[regex!]));
  entries.set('tokenizer.ggml.tokens', arr(GgufKind.STRING, texts));
  entries.set('tokenizer.ggml.scores', arr(GgufKind.F32, scores));
  entries.set('tokenizer.ggml.token_type', arr(GgufKind.I32, types));
  if (form === 'gpt2') entries.set('tokenizer.ggml.merges', arr(GgufKind.STRING, merges.map(([a, b]) => `${a} ${b}`)));
  const idOf = (key: string): number | undefined => {
    const fromConfig = config[`${key}_token_id`];
    if (typeof fromConfig === 'number') return fromConfig;
    const t = tokConfig[`${key}_token`];
    const content = typeof t === 'string' ? t : typeof t === 'object' && t ? (t as Json).content : undefined;
    return typeof content === 'string' ? (vocab[content] ?? added.find((a) => a.content === content)?.id) : undefined;
  };
  for (const [key, name] of [['bos', 'bos'], ['eos', 'eos'], ['pad', 'padding']] as const) {
    const id = idOf(key);
    if (id !== undefined) entries.set(`tokenizer.ggml.${name}_token_id`, u32(id));
  }
  if (unk !== undefined) entries.set('tokenizer.ggml.unknown_token_id', u32(unk));
  entries.set('tokenizer.ggml.add_bos_token', bool(addsBos(tok, tokConfig)));
  entries.set('tokenizer.ggml.add_eos_token', bool(tokConfig.add_eos_token === true));
  if (form !== 'gpt2') entries.set('tokenizer.ggml.add_space_prefix', bool(prependsSpace(tok)));
  return { entries, form, tokens: n };
}

/** Whether the tokenizer puts BOS first (tokenizer_config's add_bos_token, else the post-processor template). */
function addsBos(tok: Json, tokConfig: Json): boolean {
  if (typeof tokConfig.add_bos_token === 'boolean') return tokConfig.add_bos_token;
  const single = ((tok.post_processor as Json | null)?.single ?? []) as Json[];
  return single.length > 0 && 'SpecialToken' in single[0];
}

/** Whether the normalizer (or a Metaspace pre-tokenizer) prepends '▁' to the text. */
function prependsSpace(tok: Json): boolean {
  const norm = tok.normalizer as Json | null;
  const list = (norm?.type === 'Sequence' ? norm.normalizers : norm ? [norm] : []) as Json[];
  if (list.some((x) => x.type === 'Prepend' && x.prepend === '\u2581')) return true;
  const pre = tok.pre_tokenizer as Json | null;
  return pre?.type === 'Metaspace' && pre.prepend_scheme !== 'never' && pre.add_prefix_space !== false;
}
