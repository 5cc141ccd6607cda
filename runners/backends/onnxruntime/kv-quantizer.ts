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
  /**
   * How a token reads its own key and value: `cache` (default), through the quantized cache
   * as llama.cpp does, at the price of a second forward per step; `fp32`, as the forward that
   * computes them has them (one forward per step).
   */
  readonly selfRead?: 'cache' | 'fp32';
}

/** The cache setting an adapter runs with, as recorded (always simulated: the cache is stored fp32). */
export interface KvCacheInfo {
  readonly type: KvCacheType;
  readonly simulated: true;
  /** Elements per scale: 32 for q8_0/q4_0 (llama.cpp blocks), G for kivi2, 0 for f32. */
  readonly group: number;
  /** Recent tokens held fp32 (kivi2), else 0. */
  readonly residual: number;
  /** Where a token reads its own key/value (see {@link KvCacheOption.selfRead}). */
  readonly selfRead: 'cache' | 'fp32';
}

/** Checks `option` (named `where` in messages) against the model's head size. */
export function resolveKvCache(option: unknown, headDim: number, where: string): KvCacheInfo {
  if (typeof option !== 'object' || option === null) throw new InputError(`${where} must be an object like { "type": "q8_0" }`);
  const o = option as Record<string, unknown>;
  if (!(KV_CACHE_TYPES as readonly unknown[]).includes(o.type)) {
    throw new InputError(`${where}.type must be one of ${KV_CACHE_TYPES.join(', ')}, got ${JSON.stringify(o.type)}`);
  }
  const type = o.type as KvCacheType;
  const selfRead = o.selfRead ?? 'cache';
  if (selfRead !== 'cache' && selfRead !== 'fp32') throw new InputError(`${where}.selfRead must be 'cache' or 'fp32', got ${JSON.stringify(selfRead)}`);
  if (type !== 'kivi2') {
    for (const k of ['group', 'residual']) if (o[k] !== undefined) throw new InputError(`${where}.${k} applies to kivi2 only; remove it for ${type}`);
    if (type !== 'f32' && headDim % GGML_BLOCK !== 0) throw new InputError(`${where}.type ${type} needs head_dim a multiple of ${GGML_BLOCK} (llama.cpp blocks), the model has ${headDim}; use kivi2`);
    return { type, simulated: true, group: type === 'f32' ? 0 : GGML_BLOCK, residual: 0, selfRead };
  }
  const group = o.group ?? KIVI_DEFAULTS.group;
  const residual = o.residual ?? KIVI_DEFAULTS.residual;
  if (!Number.isInteger(group) || (group as number) < 1) throw new InputError(`${where}.group must be a positive integer, got ${JSON.stringify(group)}`);
  if (!Number.isInteger(residual) || (residual as number) < 0 || (residual as number) % (group as number) !== 0) {
    throw new InputError(`${where}.residual must be 0 or a multiple of group ${group as number} (KIVI flushes whole groups), got ${JSON.stringify(residual)}`);
  }
  return { type, simulated: true, group: group as number, residual: residual as number, selfRead };
}

/**
 * Quantizes a growing cache in place around each step. It assumes every row's column t
 * holds the row's token t (rows step in lockstep from an empty cache, no padding columns).
 */
export class KvQuantizer {
  private keysDone = 0;
  private valuesDone = 0;

  constructor(readonly info: KvCacheInfo) {}

  /**
   * Before the step that appends token L to a cache of L tokens: quantizes the older tokens
   * that are due once the cache holds L + 1 (KIVI: the value leaving the residual window,
   * keys when the window is flushed), so the step reads them quantized, as KIVI's
   * Algorithm 1 quantizes before its attention.
   */
  beforeStep(cache: KvCache): void {
    const due = this.due(cache.length + 1);
    // a key flush that takes in the new token is done whole after the step (its groups span it)
    this.quantize(cache, due.keys <= cache.length ? due.keys : this.keysDone, Math.min(due.values, cache.length));
  }

  /**
   * After the step: quantizes what is due now that the cache holds the new token; true when
   * that included the new token's key or value (its own logits then read them back from the
   * cache only in a second, requery forward).
   */
  afterStep(cache: KvCache): boolean {
    const due = this.due(cache.length);
    this.quantize(cache, due.keys, due.values);
    return this.info.type !== 'f32' && Math.max(due.keys, due.values) === cache.length;
  }

  /** Leading tokens whose keys/values are quantized in a cache of `length` tokens. */
  private due(length: number): { keys: number; values: number } {
    if (this.info.type === 'f32') return { keys: 0, values: 0 };
    return this.info.type === 'kivi2' ? kiviQuantizedCounts(length, this.info) : { keys: length, values: length };
  }

  private quantize(cache: KvCache, keysTo: number, valuesTo: number): void {
    const { type } = this.info;
    if (type === 'f32' || (keysTo <= this.keysDone && valuesTo <= this.valuesDone)) return;
    keysTo = Math.max(keysTo, this.keysDone);
    valuesTo = Math.max(valuesTo, this.valuesDone);
    const shape: KvShape = { batch: cache.batch, heads: cache.heads, seq: cache.length, headDim: cache.headDim };
    for (let i = 0; i < cache.keys.length; i++) {
      if (type === 'kivi2') {
        kiviKeysTokens(cache.keys[i] as Float32Array, shape, this.keysDone, keysTo, this.info.group);
        kiviValuesTokens(cache.values[i] as Float32Array, shape, this.valuesDone, valuesTo, this.info.group);
      } else {
        quantizeGgmlTokens(cache.keys[i] as Float32Array, shape, this.keysDone, keysTo, type);
        quantizeGgmlTokens(cache.values[i] as Float32Array, shape, this.valuesDone, valuesTo, type);
      }
    }
    this.keysDone = keysTo;
    this.valuesDone = valuesTo;
  }
}
