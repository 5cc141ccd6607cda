import { InputError } from '../../../core/errors.js';

/** KV cache element types the llama.cpp backend accepts. */
export const KV_CACHE_TYPES = ['f32', 'f16', 'q8_0', 'q4_0'] as const;

/** One of {@link KV_CACHE_TYPES}. */
export type KvCacheType = (typeof KV_CACHE_TYPES)[number];

/** How a llama.cpp context stores its cache (ggml type names) and whether it runs flash attention. */
export interface KvCacheSetup {
  readonly key: 'F32' | 'F16' | 'Q8_0' | 'Q4_0';
  readonly value: 'F32' | 'F16' | 'Q8_0' | 'Q4_0';
  /** llama.cpp keeps a quantized V cache only with flash attention, so it is on exactly then. */
  readonly flashAttention: boolean;
}

/**
 * The context settings for `type`. F32 is the default because node-llama-cpp's own
 * default (F16) rounds every cached key and value, and scores would then differ from
 * the ONNX backend's fp32 cache. `source` names where the value came from, for messages.
 */
export function kvCacheSetup(type: unknown, source: string): KvCacheSetup {
  if (!KV_CACHE_TYPES.includes(type as KvCacheType)) {
    throw new InputError(`${source} must be one of ${KV_CACHE_TYPES.join(', ')} (got ${JSON.stringify(type)})`);
  }
  const ggml = (type as string).toUpperCase() as KvCacheSetup['key'];
  return { key: ggml, value: ggml, flashAttention: ggml === 'Q8_0' || ggml === 'Q4_0' };
}
