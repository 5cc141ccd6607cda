/**
 * Bytes a KV cache holds per token in each storage form: layers × 2 (K and V) × kvHeads ×
 * headDim × bytes per element. KIVI's fp32 residual window is reported apart, since it is a
 * fixed number of tokens, not a per-token cost.
 */

/** KV storage forms: plain floats, llama.cpp blocks, KIVI 2-bit. */
export type KvForm = 'fp32' | 'f16' | 'q8_0' | 'q4_0' | 'kivi2';

/** The model sizes that fix the KV cache (config.json). */
export interface KvGeometry {
  readonly numLayers: number;
  readonly numKvHeads: number;
  readonly headDim: number;
}

/** KIVI's group size G and fp32 residual window R (defaults 32/32). */
export interface KiviLayout {
  readonly group: number;
  readonly residual: number;
}

/** KIVI defaults (paper: G = 32; R = 32 here, the paper sweeps 32–128). */
export const KIVI_DEFAULTS: KiviLayout = { group: 32, residual: 32 };

/**
 * Bytes per element: q8_0 = 32 int8 + one fp16 scale per 32 (34/32); q4_0 = 16 bytes of
 * nibbles + fp16 scale per 32 (18/32); kivi2 = 2 bits + fp16 scale and fp16 zero per group
 * of G (keys: G tokens of one channel; values: G channels of one token): 1/4 + 4/G.
 */
export function kvBytesPerElement(form: KvForm, kivi: KiviLayout = KIVI_DEFAULTS): number {
  switch (form) {
    case 'fp32':
      return 4;
    case 'f16':
      return 2;
    case 'q8_0':
      return 34 / 32;
    case 'q4_0':
      return 18 / 32;
    case 'kivi2':
      return 2 / 8 + 4 / kivi.group;
  }
}

/** What {@link kvBytesPerToken} returns. */
export interface KvBytes {
  /** Bytes per cached token in the form, amortized (the steady state of a long context). */
  readonly bytesPerToken: number;
  /** kivi2 only: bytes of the fp32 residual window (R tokens), held on top of the per-token bytes. */
  readonly residualWindowBytes: number;
}

/** KV-cache bytes per token of a model in `form` (see {@link kvBytesPerElement}). */
export function kvBytesPerToken(config: KvGeometry, form: KvForm, kivi: KiviLayout = KIVI_DEFAULTS): KvBytes {
  const elements = config.numLayers * 2 * config.numKvHeads * config.headDim;
  return {
    bytesPerToken: elements * kvBytesPerElement(form, kivi),
    residualWindowBytes: form === 'kivi2' ? kivi.residual * elements * 4 : 0,
  };
}
