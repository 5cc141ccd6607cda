/**
 * The simulated quantized KV cache of the incremental path: which cache option a model runs
 * with, checked up front, and the quantizer that rewrites the tokens that have just entered
 * (q8_0/q4_0) or left the fp32 residual window (KIVI) after every decode step.
 */
import { InputError } from '../../../core/errors.js';
import { GGML_BLOCK, KIVI_DEFAULTS, kiviKeysTokens, kiviQuantizedCounts, kiviValuesTokens, quantizeGgmlTokens, type KvShape } from '../../../kernels/index.js';
import type { KvCache } from './kv-cache.js';

/** KV-cache types: `f32` runs the incremental path with an exact cache (the reference for the others). */
export const KV_CACHE_TYPES = ['f32', 'q8_0', 'q4_0', 'kivi2'] as const;

/** A KV-cache type. */
export type KvCacheType = (typeof KV_CACHE_TYPES)[number];

/** The `kvCache` option (and compression.json's `runtime.kvCache`). */
export interface KvCacheOption {
  readonly type: KvCacheType;
  /** kivi2: tokens (keys) or channels (values) per scale/zero group; default 32. */
  readonly group?: number;
  /** kivi2: most recent tokens kept fp32; a multiple of group, or 0; default 32. */
  readonly residual?: number;
}

/** The cache setting an adapter runs with, as recorded (always simulated: the cache is stored fp32). */
export interface KvCacheInfo {
  readonly type: KvCacheType;
  readonly simulated: true;
  /** Elements per scale: 32 for q8_0/q4_0 (llama.cpp blocks), G for kivi2, 0 for f32. */
  readonly group: number;
  /** Recent tokens held fp32 (kivi2), else 0. */
  readonly residual: number;
}

/** Checks `option` (named `where` in messages) against the model's head size. */
export function resolveKvCache(option: unknown, headDim: number, where: string): KvCacheInfo {
  if (typeof option !== 'object' || option === null) throw new InputError(`${where} must be an object like { "type": "q8_0" }`);
  const o = option as Record<string, unknown>;
  if (!(KV_CACHE_TYPES as readonly unknown[]).includes(o.type)) {
    throw new InputError(`${where}.type must be one of ${KV_CACHE_TYPES.join(', ')}, got ${JSON.stringify(o.type)}`);
  }
  const type = o.type as KvCacheType;
  if (type !== 'kivi2') {
    for (const k of ['group', 'residual']) if (o[k] !== undefined) throw new InputError(`${where}.${k} applies to kivi2 only; remove it for ${type}`);
    if (type !== 'f32' && headDim % GGML_BLOCK !== 0) throw new InputError(`${where}.type ${type} needs head_dim a multiple of ${GGML_BLOCK} (llama.cpp blocks), the model has ${headDim}; use kivi2`);
    return { type, simulated: true, group: type === 'f32' ? 0 : GGML_BLOCK, residual: 0 };
  }
  const group = o.group ?? KIVI_DEFAULTS.group;
  const residual = o.residual ?? KIVI_DEFAULTS.residual;
  if (!Number.isInteger(group) || (group as number) < 1) throw new InputError(`${where}.group must be a positive integer, got ${JSON.stringify(group)}`);
  if (!Number.isInteger(residual) || (residual as number) < 0 || (residual as number) % (group as number) !== 0) {
    throw new InputError(`${where}.residual must be 0 or a multiple of group ${group as number} (KIVI flushes whole groups), got ${JSON.stringify(residual)}`);
  }
  return { type, simulated: true, group: group as number, residual: residual as number };
}

/**
 * Quantizes a growing cache in place after each step. It assumes every row's column t holds
 * the row's token t (rows step in lockstep from an empty cache, no padding columns).
 */
export class KvQuantizer {
  private keysDone = 0;
  private valuesDone = 0;

  constructor(readonly info: KvCacheInfo) {}

  /** Quantizes the tokens of `cache` that the schedule says are due and not yet quantized. */
  afterStep(cache: KvCache): void {
    const { type } = this.info;
    if (type === 'f32') return;
    const shape: KvShape = { batch: cache.batch, heads: cache.heads, seq: cache.length, headDim: cache.headDim };
    const due = type === 'kivi2' ? kiviQuantizedCounts(cache.length, this.info) : { keys: cache.length, values: cache.length };
    for (let i = 0; i < cache.keys.length; i++) {
      if (type === 'kivi2') {
        kiviKeysTokens(cache.keys[i] as Float32Array, shape, this.keysDone, due.keys, this.info.group);
        kiviValuesTokens(cache.values[i] as Float32Array, shape, this.valuesDone, due.values, this.info.group);
      } else {
        quantizeGgmlTokens(cache.keys[i] as Float32Array, shape, this.keysDone, due.keys, type);
        quantizeGgmlTokens(cache.values[i] as Float32Array, shape, this.valuesDone, due.values, type);
      }
    }
    this.keysDone = due.keys;
    this.valuesDone = due.values;
  }
}
