/**
 * RoPE settings of a Hugging Face config.json -> the inverse frequencies the graph uses.
 * Reads both layouts: transformers 4 (`rope_theta`, `rope_scaling: {type|rope_type, …}`,
 * Phi-3's top-level `original_max_position_embeddings`) and transformers 5
 * (`rope_parameters: {rope_type, rope_theta, …}`). Formulas follow transformers'
 * modeling_rope_utils.py, in float32 where torch computes in float32.
 */
import { InputError } from '../../core/errors.js';
import { defaultInvFreq, type RopeFrequencies } from '../graph/index.js';

type Json = Record<string, unknown>;

/** RoPE types the importer builds. */
export const SUPPORTED_ROPE_TYPES = ['default', 'linear', 'llama3', 'longrope'] as const;

function num(params: Json, key: string, file: string, fallback?: number): number {
  const v = params[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InputError(`${file}: RoPE field ${key} must be a positive number, got ${JSON.stringify(params[key])}`);
  return v;
}

function factors(params: Json, key: string, half: number, file: string): Float32Array {
  const v = params[key];
  if (!Array.isArray(v) || v.length !== half || !v.every((x) => typeof x === 'number' && x > 0)) {
    throw new InputError(`${file}: RoPE field ${key} must list ${half} positive numbers (head_dim / 2), got ${JSON.stringify(v)?.slice(0, 80)}`);
  }
  return Float32Array.from(v as number[]);
}

/** The RoPE parameters as one object, whichever layout the config uses. */
function ropeParameters(cfg: Json, file: string): Json {
  const v5 = cfg.rope_parameters;
  const v4 = cfg.rope_scaling;
  if (v5 !== undefined && v5 !== null && (typeof v5 !== 'object' || Array.isArray(v5))) throw new InputError(`${file}: rope_parameters must be an object`);
  if (v4 !== undefined && v4 !== null && (typeof v4 !== 'object' || Array.isArray(v4))) throw new InputError(`${file}: rope_scaling must be an object or null`);
  const params: Json = { ...((v4 as Json | null) ?? {}), ...((v5 as Json | null) ?? {}) };
  params.rope_type ??= params.type ?? 'default';
  params.rope_theta ??= cfg.rope_theta ?? 10000;
  return params;
}

/**
 * The frequencies of a config with the given head size. Unsupported RoPE types
 * (dynamic, yarn, …) and partial rotary factors are InputErrors naming the field.
 */
export function ropeFrequencies(cfg: Json, headDim: number, file: string): RopeFrequencies {
  const params = ropeParameters(cfg, file);
  const type = params.rope_type === 'su' ? 'longrope' : params.rope_type;
  for (const partial of [params.partial_rotary_factor, cfg.partial_rotary_factor]) {
    if (partial !== undefined && partial !== null && partial !== 1) throw new InputError(`${file}: partial_rotary_factor ${JSON.stringify(partial)} is not supported (only 1.0: RoPE on the whole head)`);
  }
  if (!(SUPPORTED_ROPE_TYPES as readonly unknown[]).includes(type)) {
    throw new InputError(`${file}: RoPE type ${JSON.stringify(type)} is not supported; supported: ${SUPPORTED_ROPE_TYPES.join(', ')}`);
  }
  const theta = num(params, 'rope_theta', file);
  const base = defaultInvFreq(theta, headDim);
  if (type === 'default') return { kind: 'static', invFreq: base, attentionScaling: 1 };
  if (type === 'linear') {
    const factor = num(params, 'factor', file);
    return { kind: 'static', invFreq: base.map((f) => f / factor), attentionScaling: 1 };
  }
  const maxPositions = num(cfg, 'max_position_embeddings', file);
  if (type === 'llama3') return { kind: 'static', invFreq: llama3InvFreq(base, params, maxPositions, file), attentionScaling: 1 };
  // LongRoPE (Phi-3): a top-level original_max_position_embeddings wins, as in transformers
  const originalMax = num({ ...params, ...(cfg.original_max_position_embeddings !== undefined ? { original_max_position_embeddings: cfg.original_max_position_embeddings } : {}) }, 'original_max_position_embeddings', file, maxPositions);
  const factor = typeof params.factor === 'number' ? params.factor : maxPositions / originalMax;
  const attentionScaling = typeof params.attention_factor === 'number' ? params.attention_factor : factor <= 1 ? 1 : Math.sqrt(1 + Math.log(factor) / Math.log(originalMax));
  const scaled = (key: string): Float32Array => {
    const ext = factors(params, key, headDim / 2, file);
    // 1 / (ext · θ^(2i/D)), each step rounded to float32 as torch does
    return ext.map((e, i) => 1 / Math.fround(e * Math.fround(theta ** Math.fround((2 * i) / headDim))));
  };
  return { kind: 'by-length', shortInvFreq: scaled('short_factor'), longInvFreq: scaled('long_factor'), originalMax, attentionScaling };
}

/** Llama 3.1's frequency-dependent scaling: long wavelengths / factor, short kept, a smooth ramp between. */
function llama3InvFreq(base: Float32Array, params: Json, maxPositions: number, file: string): Float32Array {
  const factor = num(params, 'factor', file);
  const low = num(params, 'low_freq_factor', file);
  const high = num(params, 'high_freq_factor', file);
  const oldContext = num(params, 'original_max_position_embeddings', file, maxPositions);
  const lowWavelen = oldContext / low;
  const highWavelen = oldContext / high;
  return base.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highWavelen) return f;
    if (wavelen > lowWavelen) return f / factor;
    const smooth = (oldContext / wavelen - low) / (high - low);
    return (1 - smooth) * (f / factor) + smooth * f;
  });
}
