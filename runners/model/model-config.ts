import { InputError } from '../../core/errors.js';

/** What the runtime needs from a model folder's `config.json` (+ `generation_config.json`). */
export interface DecoderConfig {
  /** `model_type` (e.g. `llama`), for messages. */
  readonly modelType: string;
  /** Transformer blocks (`num_hidden_layers`). */
  readonly numLayers: number;
  /** Key/value heads per layer (`num_key_value_heads`, else `num_attention_heads`). */
  readonly numKvHeads: number;
  /** Size of one head (`head_dim`, else `hidden_size / num_attention_heads`). */
  readonly headDim: number;
  /** Rows of the output classifier (`vocab_size`). */
  readonly vocabSize: number;
  /** Longest sequence the model was built for (`max_position_embeddings`). */
  readonly maxPositions: number;
  /** Beginning-of-sequence id, when the config names one. */
  readonly bosTokenId: number | undefined;
  /** End-of-sequence ids (config and generation config, deduplicated). */
  readonly eosTokenIds: readonly number[];
}

type Json = Record<string, unknown>;

function firstInt(cfg: Json, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = cfg[k];
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  }
  return undefined;
}

function requireInt(cfg: Json, keys: readonly string[], file: string): number {
  const v = firstInt(cfg, keys);
  if (v === undefined) throw new InputError(`${file}: field ${keys[0]} must be a positive integer (also accepted: ${keys.slice(1).join(', ') || 'none'})`);
  return v;
}

function idList(v: unknown): number[] {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0);
  return [];
}

/**
 * Reads the decoder facts from parsed `config.json` (and optional `generation_config.json`).
 * `file` names config.json in error messages.
 */
export function parseDecoderConfig(config: unknown, file: string, generationConfig?: unknown): DecoderConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InputError(`${file}: expected a JSON object`);
  }
  const cfg = config as Json;
  const gen = (typeof generationConfig === 'object' && generationConfig !== null ? generationConfig : {}) as Json;
  const numLayers = requireInt(cfg, ['num_hidden_layers', 'n_layer', 'num_layers'], file);
  const numHeads = requireInt(cfg, ['num_attention_heads', 'n_head'], file);
  const numKvHeads = firstInt(cfg, ['num_key_value_heads']) ?? numHeads;
  let headDim = firstInt(cfg, ['head_dim']);
  if (headDim === undefined) {
    const hidden = requireInt(cfg, ['hidden_size', 'n_embd'], file);
    if (hidden % numHeads !== 0) throw new InputError(`${file}: hidden_size ${hidden} is not a multiple of num_attention_heads ${numHeads}; set head_dim`);
    headDim = hidden / numHeads;
  }
  const bos = idList(cfg.bos_token_id ?? gen.bos_token_id);
  const eos = [...new Set([...idList(cfg.eos_token_id), ...idList(gen.eos_token_id)])];
  return {
    modelType: typeof cfg.model_type === 'string' ? cfg.model_type : 'unknown',
    numLayers,
    numKvHeads,
    headDim,
    vocabSize: requireInt(cfg, ['vocab_size'], file),
    maxPositions: requireInt(cfg, ['max_position_embeddings', 'n_positions', 'n_ctx'], file),
    bosTokenId: bos[0],
    eosTokenIds: eos,
  };
}
