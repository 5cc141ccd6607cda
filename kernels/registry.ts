/**
 * The compression methods as a static typed map (STYLE.md principle 6): id, whether
 * calibration activations are needed, the allowed params with their types and defaults.
 * Parameter checking lives in validate-params.ts.
 */

/** Every compression method the kernels implement. */
export type MethodId = 'rtn' | 'nf4' | 'gptq' | 'awq' | 'smoothquant' | 'magnitude' | 'wanda' | 'nm' | 'structured' | 'kv-cache' | 'gguf'
  | 'llm-int8' | 'flap' | 'fairprune';

/**
 * llama.cpp quantization type names (runners/compress/gguf/gguf-types.ts maps each to its
 * llama_ftype; a test keeps the two lists equal), with F32 for the unquantized export.
 */
export const GGUF_TYPE_NAMES = [
  'F32', 'F16', 'BF16', 'Q8_0', 'Q6_K', 'Q5_K_M', 'Q5_K_S', 'Q5_0', 'Q5_1', 'Q4_K_M', 'Q4_K_S', 'Q4_0', 'Q4_1', 'Q3_K_M', 'Q3_K_S', 'Q3_K_L',
  'Q2_K', 'Q2_K_S', 'IQ4_NL', 'IQ4_XS', 'IQ3_XXS', 'IQ3_S', 'IQ2_XXS', 'IQ2_XS', 'IQ2_S', 'IQ1_S', 'IQ1_M',
] as const;

/** The type and limits of one parameter. */
export type ParamSpec =
  | { readonly kind: 'int'; readonly min: number; readonly max: number; readonly doc: string }
  | { readonly kind: 'number'; readonly min: number; readonly max: number; readonly maxExclusive?: boolean; readonly doc: string }
  | { readonly kind: 'boolean'; readonly doc: string }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly doc: string }
  /** A group size dividing K, or one of the named granularities. */
  | { readonly kind: 'group'; readonly names: readonly string[]; readonly doc: string }
  /** A non-empty string (a suite id or folder, a tag name or value). */
  | { readonly kind: 'string'; readonly doc: string };

/** A parameter value as it appears in a config. */
export type ParamValue = number | boolean | string;

/** What the registry knows about one method. */
export interface MethodInfo {
  readonly id: MethodId;
  readonly summary: string;
  /** Calibration activations X are required. */
  readonly needsCalibration: boolean;
  /** Calibration activations may be used, depending on params (nm: score 'wanda'); see calibrationNeeded. */
  readonly usesCalibration: boolean;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly defaults: Readonly<Record<string, ParamValue>>;
}

const bits = { kind: 'int', min: 2, max: 8, doc: 'bit width of the weight codes' } as const;
const symmetric = { kind: 'boolean', doc: 'symmetric grid (zero point 2^(bits-1)) instead of a fitted zero point' } as const;
const symGrid = {
  kind: 'enum', values: ['full', 'narrow'],
  doc: "symmetric grid: 'full' = scale 2a/(2^b-1), codes 0..2^b-1 (GPTQ/onnxruntime); 'narrow' = scale a/(2^(b-1)-1), codes 1..2^b-1 (±a exact)",
} as const;
const group = { kind: 'group', names: ['channel'], doc: "'channel' or a group size (rows of K per scale; the last group may be partial)" } as const;
const sparsity = { kind: 'number', min: 0, max: 1, maxExclusive: true, doc: 'fraction of weights removed, in [0, 1)' } as const;

/** The method registry. */
export const METHODS = {
  rtn: {
    id: 'rtn', summary: 'round-to-nearest', needsCalibration: false, usesCalibration: false,
    params: { bits, symmetric, symGrid, group: { kind: 'group', names: ['channel', 'tensor'], doc: "'tensor', 'channel' or a group size (the last group may be partial)" } },
    defaults: { bits: 4, symmetric: false, symGrid: 'full', group: 'channel' },
  },
  nf4: {
    id: 'nf4', summary: 'NormalFloat-4 codebook with blockwise absmax (QLoRA)', needsCalibration: false, usesCalibration: false,
    params: {
      blockSize: { kind: 'int', min: 2, max: 4096, doc: 'elements per absmax block along K (the last block may be partial)' },
      doubleQuant: { kind: 'boolean', doc: 'quantize the absmax scales to 8 bits in blocks of 256' },
    },
    defaults: { blockSize: 64, doubleQuant: false },
  },
  gptq: {
    id: 'gptq', summary: 'second-order error compensation (Frantar et al. 2022)', needsCalibration: true, usesCalibration: true,
    params: {
      bits, symmetric, symGrid, group,
      damp: { kind: 'number', min: 0, max: 1, doc: 'dampening as a fraction of mean diag(H)' },
      blockSize: { kind: 'int', min: 1, max: 65536, doc: 'rows per lazy-update block' },
      actOrder: { kind: 'boolean', doc: 'quantize inputs by descending diag(H)' },
      staticGroups: { kind: 'boolean', doc: 'group grids from the original order (packable with actOrder)' },
    },
    defaults: { bits: 4, symmetric: false, symGrid: 'full', group: 'channel', damp: 0.01, blockSize: 128, actOrder: false, staticGroups: false },
  },
  awq: {
    id: 'awq', summary: 'activation-aware per-channel scaling (Lin et al. 2023)', needsCalibration: true, usesCalibration: true,
    params: { bits, symmetric, symGrid, group, gridPoints: { kind: 'int', min: 1, max: 1000, doc: 'alpha values tried, alpha = i/gridPoints' } },
    defaults: { bits: 4, symmetric: false, symGrid: 'full', group: 'channel', gridPoints: 20 },
  },
  smoothquant: {
    id: 'smoothquant', summary: 'W8A8 with activation smoothing (Xiao et al. 2022)', needsCalibration: true, usesCalibration: true,
    params: {
      alpha: { kind: 'number', min: 0, max: 1, doc: 'migration strength' },
      weightGranularity: { kind: 'enum', values: ['channel', 'tensor'], doc: 'int8 weight scales per output column or per tensor' },
    },
    defaults: { alpha: 0.5, weightGranularity: 'channel' },
  },
  magnitude: {
    id: 'magnitude', summary: 'unstructured pruning by |W|', needsCalibration: false, usesCalibration: false,
    params: { sparsity }, defaults: { sparsity: 0.5 },
  },
  wanda: {
    id: 'wanda', summary: 'pruning by |W|·‖X‖ per output (Sun et al. 2023)', needsCalibration: true, usesCalibration: true,
    params: { sparsity }, defaults: { sparsity: 0.5 },
  },
  nm: {
    id: 'nm', summary: 'semi-structured N:M pruning along K', needsCalibration: false, usesCalibration: true,
    params: {
      n: { kind: 'int', min: 1, max: 64, doc: 'weights kept per block' },
      m: { kind: 'int', min: 2, max: 64, doc: 'block length along K (a shorter tail keeps min(n, tail))' },
      score: { kind: 'enum', values: ['wanda', 'magnitude'], doc: "'wanda' = |W|·‖X‖ (needs calibration), 'magnitude' = |W| (none)" },
    },
    defaults: { n: 2, m: 4, score: 'wanda' },
  },
  structured: {
    id: 'structured', summary: 'drop whole attention heads / FFN channels by importance', needsCalibration: true, usesCalibration: true,
    params: {
      ratio: { kind: 'number', min: 0, max: 1, maxExclusive: true, doc: 'fraction of heads/channels removed, in [0, 1)' },
      target: { kind: 'enum', values: ['heads', 'ffn', 'both'], doc: 'what to prune' },
    },
    defaults: { ratio: 0.25, target: 'ffn' },
  },
  'kv-cache': {
    id: 'kv-cache', summary: 'KV-cache quantization at run time (llama.cpp q8_0/q4_0, KIVI 2-bit); weights unchanged, simulated', needsCalibration: false, usesCalibration: false,
    params: {
      type: { kind: 'enum', values: ['q8_0', 'q4_0', 'kivi2'], doc: 'cache form: llama.cpp blocks of 32 (q8_0, q4_0) or KIVI 2-bit' },
      group: { kind: 'int', min: 1, max: 4096, doc: 'kivi2: tokens (keys) or channels (values) per scale and zero point' },
      residual: { kind: 'int', min: 0, max: 65536, doc: 'kivi2: most recent tokens kept fp32 (0 or a multiple of group)' },
    },
    defaults: { type: 'q8_0', group: 32, residual: 32 },
  },
  gguf: {
    id: 'gguf', summary: "llama.cpp's own quantization types (GGUF), run packed by llama.cpp", needsCalibration: false, usesCalibration: true,
    params: {
      type: {
        kind: 'enum', values: GGUF_TYPE_NAMES,
        doc: "llama-quantize's type name; F32 is the model exported to GGUF unquantized (the cross-backend reference)",
      },
      imatrix: { kind: 'boolean', doc: "quantize with an importance matrix (mean x² per input column on the calibration text, as llama.cpp's imatrix tool)" },
      kvCache: { kind: 'enum', values: ['f32', 'f16', 'q8_0', 'q4_0'], doc: "llama.cpp's KV cache type (q8_0/q4_0 stored quantized, with flash attention)" },
    },
    defaults: { type: 'Q4_K_M', imatrix: false, kvCache: 'f32' },
  },
  'llm-int8': {
    id: 'llm-int8', summary: 'vector-wise int8 with fp32 outlier features (LLM.int8(), Dettmers et al. 2022)', needsCalibration: true, usesCalibration: true,
    params: { threshold: { kind: 'number', min: 0.001, max: 1e6, doc: 'an input feature whose |activation| reaches this on the calibration set stays fp32' } },
    defaults: { threshold: 6 },
  },
  flap: {
    id: 'flap', summary: 'fluctuation-based adaptive structured pruning of FFN channels with bias compensation (An et al. 2024)', needsCalibration: true, usesCalibration: true,
    params: { ratio: { kind: 'number', min: 0, max: 1, maxExclusive: true, doc: 'fraction of all FFN channels removed, spread over layers by standardized fluctuation, in [0, 1)' } },
    defaults: { ratio: 0.25 },
  },
  fairprune: {
    id: 'fairprune', summary: 'pruning by OBD saliency of a protected slice minus beta times that of the others (FairPrune, Wu et al. 2022)', needsCalibration: false, usesCalibration: true,
    params: {
      sparsity,
      beta: { kind: 'number', min: 0, max: 10, doc: 'weight of the other slices\' saliency subtracted from the protected slice\'s' },
      suite: { kind: 'string', doc: "the suite whose instance texts, split by slice, are the two calibration sets (a bundled id or a folder)" },
      sliceTag: { kind: 'string', doc: 'the instance tag that names the slice (e.g. dialect)' },
      protect: { kind: 'string', doc: 'the slice value to protect (the worst-off slice, e.g. sco)' },
    },
    defaults: { sparsity: 0.5, beta: 0.2, suite: 'fairness', sliceTag: 'dialect', protect: 'sco' },
  },
} as const satisfies Record<MethodId, MethodInfo>;

/** The method ids, in registry order (for schema enums). */
export const METHOD_IDS = Object.keys(METHODS) as MethodId[];
