/**
 * A Hugging Face config.json -> the decoder spec of the graph builder, for the families
 * the importer supports. Every field is either mapped, known not to change the forward
 * pass (ids, dropout, bookkeeping), or an InputError naming it: an unknown field could
 * change the math, and a silently wrong graph is worse than a refusal.
 */
import { InputError } from '../../core/errors.js';
import type { DecoderSpec } from '../graph/index.js';
import { ropeFrequencies } from './rope-config.js';

/** Model families the importer maps. */
export type Family = 'llama' | 'mistral' | 'qwen2' | 'phi3';

/** `architectures[0]` -> family and the `model_type` it must carry. */
export const ARCHITECTURES: Readonly<Record<string, Family>> = {
  LlamaForCausalLM: 'llama',
  MistralForCausalLM: 'mistral',
  Qwen2ForCausalLM: 'qwen2',
  Phi3ForCausalLM: 'phi3',
};

/** Fields that never change the forward pass (token ids, dropout, training and export bookkeeping). */
const INERT_FIELDS = [
  '_name_or_path', 'architectures', 'model_type', 'transformers_version', 'torch_dtype', 'dtype', 'use_cache',
  'bos_token_id', 'eos_token_id', 'pad_token_id', 'sep_token_id', 'decoder_start_token_id', 'initializer_range',
  'attention_dropout', 'embd_pdrop', 'resid_pdrop', 'id2label', 'label2id', 'return_dict', 'output_attentions',
  'output_hidden_states', 'torchscript', 'problem_type', 'chunk_size_feed_forward', 'is_encoder_decoder', 'is_decoder',
  'add_cross_attention', 'tie_encoder_decoder', 'tokenizer_class', 'prefix', 'task_specific_params', 'finetuning_task',
  'pruned_heads', 'tf_legacy_loss', 'use_bfloat16', 'cross_attention_hidden_size', 'max_length', 'min_length',
  'do_sample', 'early_stopping', 'num_beams', 'num_beam_groups', 'diversity_penalty', 'temperature', 'top_k', 'top_p',
  'typical_p', 'repetition_penalty', 'length_penalty', 'no_repeat_ngram_size', 'encoder_no_repeat_ngram_size',
  'bad_words_ids', 'num_return_sequences', 'output_scores', 'return_dict_in_generate', 'forced_bos_token_id',
  'forced_eos_token_id', 'remove_invalid_values', 'exponential_decay_length_penalty', 'suppress_tokens',
  'begin_suppress_tokens', 'auto_map', 'custom_pipelines', 'transformers.js_config', 'pretraining_tp',
  'max_position_embeddings', 'original_max_position_embeddings',
] as const;

/** Fields read into the spec, per family (checked one by one below). */
const MAPPED_FIELDS: Readonly<Record<Family, readonly string[]>> = {
  llama: ['attention_bias', 'mlp_bias'],
  mistral: ['sliding_window', 'attention_bias'],
  qwen2: ['use_sliding_window', 'sliding_window', 'max_window_layers', 'layer_types', 'attention_bias'],
  phi3: ['sliding_window', 'partial_rotary_factor', 'attention_bias'],
};
const COMMON_FIELDS = ['hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'head_dim', 'vocab_size', 'rms_norm_eps', 'hidden_act', 'rope_theta', 'rope_scaling', 'rope_parameters', 'tie_word_embeddings'];

/** What a config.json says about the model. */
export interface HfModel {
  readonly architecture: string;
  readonly family: Family;
  readonly spec: DecoderSpec;
  /** lm_head is the embedding (`tie_word_embeddings`). */
  readonly tiedEmbeddings: boolean;
}

type Json = Record<string, unknown>;

function int(cfg: Json, key: string, file: string, fallback?: number): number {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new InputError(`${file}: field ${key} must be a positive integer, got ${JSON.stringify(cfg[key])}`);
  return v;
}

function bool(cfg: Json, key: string, file: string, fallback: boolean): boolean {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'boolean') throw new InputError(`${file}: field ${key} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** Per-layer windows: Mistral / Phi-3 one window everywhere, Qwen2 by layer_types or from max_window_layers on. */
function slidingWindows(cfg: Json, family: Family, layers: number, file: string): number[] {
  if (family === 'llama') return [];
  const window = cfg.sliding_window === null || cfg.sliding_window === undefined ? 0 : int(cfg, 'sliding_window', file);
  if (family !== 'qwen2') return Array.from({ length: layers }, () => window);
  if (!bool(cfg, 'use_sliding_window', file, false) || window === 0) return [];
  const types = cfg.layer_types;
  if (types !== undefined && types !== null) {
    if (!Array.isArray(types) || types.length !== layers || !types.every((t) => t === 'full_attention' || t === 'sliding_attention')) {
      throw new InputError(`${file}: field layer_types must list ${layers} entries of "full_attention" or "sliding_attention"`);
    }
    return types.map((t) => (t === 'sliding_attention' ? window : 0));
  }
  const from = int(cfg, 'max_window_layers', file, layers);
  return Array.from({ length: layers }, (_, l) => (l >= from ? window : 0));
}

/** Parses and checks a config.json; `file` names it in every message. */
export function parseHfConfig(config: unknown, file: string): HfModel {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new InputError(`${file}: expected a JSON object`);
  const cfg = config as Json;
  const archs = cfg.architectures;
  const architecture = Array.isArray(archs) && archs.length === 1 && typeof archs[0] === 'string' ? archs[0] : undefined;
  const family = architecture === undefined ? undefined : ARCHITECTURES[architecture];
  if (!family) {
    throw new InputError(`${file}: architectures ${JSON.stringify(archs)} is not supported; the importer maps ${Object.keys(ARCHITECTURES).join(', ')}`);
  }
  if (cfg.model_type !== family) throw new InputError(`${file}: model_type ${JSON.stringify(cfg.model_type)} does not match ${architecture} (expected "${family}")`);
  if ('quantization_config' in cfg) throw new InputError(`${file}: field quantization_config: quantized checkpoints are not supported; import the full-precision model and compress it with compbench`);
  const known = new Set<string>([...INERT_FIELDS, ...COMMON_FIELDS, ...MAPPED_FIELDS[family]]);
  const unknown = Object.keys(cfg).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new InputError(`${file}: field ${unknown[0]} is not supported for ${architecture} (the importer would ignore it and could build a wrong graph); see the README's list of supported fields`);
  const act = cfg.hidden_act ?? 'silu';
  if (act !== 'silu') throw new InputError(`${file}: hidden_act ${JSON.stringify(act)} is not supported (only "silu")`);

  const hidden = int(cfg, 'hidden_size', file);
  const heads = int(cfg, 'num_attention_heads', file);
  const kvHeads = int(cfg, 'num_key_value_heads', file, heads);
  if (heads % kvHeads !== 0) throw new InputError(`${file}: num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`);
  if (cfg.head_dim === undefined || cfg.head_dim === null) {
    if (hidden % heads !== 0) throw new InputError(`${file}: hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}; set head_dim`);
  }
  const headDim = cfg.head_dim === undefined || cfg.head_dim === null ? hidden / heads : int(cfg, 'head_dim', file);
  if (headDim % 2 !== 0) throw new InputError(`${file}: head_dim ${headDim} must be even (RoPE rotates pairs)`);
  const layers = int(cfg, 'num_hidden_layers', file);
  const attentionBias = family === 'llama' && bool(cfg, 'attention_bias', file, false);
  // Phi-3 and others carry a leftover attention_bias: false that their modeling code never reads
  if (family !== 'llama' && bool(cfg, 'attention_bias', file, false)) throw new InputError(`${file}: attention_bias true is not supported for ${architecture} (transformers ignores it there; set it to false or remove it)`);
  const eps = cfg.rms_norm_eps ?? 1e-6;
  if (typeof eps !== 'number' || !(eps > 0)) throw new InputError(`${file}: field rms_norm_eps must be a positive number, got ${JSON.stringify(eps)}`);
  int(cfg, 'max_position_embeddings', file);
  const spec: DecoderSpec = {
    hidden,
    layers,
    intermediate: int(cfg, 'intermediate_size', file),
    heads,
    kvHeads,
    headDim,
    vocab: int(cfg, 'vocab_size', file),
    rmsNormEps: eps,
    rope: ropeFrequencies(cfg, headDim, file),
    qkvBias: family === 'qwen2' || attentionBias,
    oBias: attentionBias,
    mlpBias: family === 'llama' && bool(cfg, 'mlp_bias', file, false),
    slidingWindows: slidingWindows(cfg, family, layers, file),
  };
  return { architecture: architecture!, family, spec, tiedEmbeddings: bool(cfg, 'tie_word_embeddings', file, false) };
}
