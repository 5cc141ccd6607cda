/**
 * The llama.cpp quantization types compbench offers, by the names llama-quantize uses:
 * each maps to its `enum llama_ftype` value (include/llama.h of the llama.cpp bundled by
 * node-llama-cpp 3.22.1), the ggml type llama.cpp uses for most weights of that file type
 * (`llama_ftype_get_default_type`, src/llama-quant.cpp), and whether llama.cpp refuses it
 * without an importance matrix (`tensor_requires_imatrix`).
 */
import { InputError } from '../../../core/errors.js';
import { ggmlTypeByName, type GgmlTypeInfo } from '../../formats/gguf/index.js';

/** One quantization type. */
export interface GgufQuantType {
  /** The llama-quantize name, e.g. `Q4_K_M`. */
  readonly name: string;
  /** `enum llama_ftype` value. */
  readonly ftype: number;
  /** The ggml type of most 2-D weights; `_S/_M/_L` mixes raise some tensors above it. */
  readonly baseType: string;
  /** llama.cpp throws "this quantization requires an imatrix!" without one. */
  readonly needsImatrix: boolean;
}

const q = (name: string, ftype: number, baseType: string, needsImatrix = false): GgufQuantType => ({ name, ftype, baseType, needsImatrix });

/**
 * Every supported type, by name. `needsImatrix`: the ftypes whose default tensor type is
 * IQ3_XXS, IQ2_XXS, IQ2_XS, IQ2_S, IQ1_S or IQ1_M, and Q2_K_S (whose Q2_K tensors llama.cpp
 * treats as needing one); token embeddings and the output head are exempt there.
 */
export const GGUF_QUANT_TYPES = {
  Q8_0: q('Q8_0', 7, 'Q8_0'),
  Q6_K: q('Q6_K', 18, 'Q6_K'),
  Q5_K_M: q('Q5_K_M', 17, 'Q5_K'),
  Q5_K_S: q('Q5_K_S', 16, 'Q5_K'),
  Q5_0: q('Q5_0', 8, 'Q5_0'),
  Q5_1: q('Q5_1', 9, 'Q5_1'),
  Q4_K_M: q('Q4_K_M', 15, 'Q4_K'),
  Q4_K_S: q('Q4_K_S', 14, 'Q4_K'),
  Q4_0: q('Q4_0', 2, 'Q4_0'),
  Q4_1: q('Q4_1', 3, 'Q4_1'),
  Q3_K_M: q('Q3_K_M', 12, 'Q3_K'),
  Q3_K_S: q('Q3_K_S', 11, 'Q3_K'),
  Q3_K_L: q('Q3_K_L', 13, 'Q3_K'),
  Q2_K: q('Q2_K', 10, 'Q2_K'),
  Q2_K_S: q('Q2_K_S', 21, 'Q2_K', true),
  IQ4_NL: q('IQ4_NL', 25, 'IQ4_NL'),
  IQ4_XS: q('IQ4_XS', 30, 'IQ4_XS'),
  IQ3_XXS: q('IQ3_XXS', 23, 'IQ3_XXS', true),
  IQ3_S: q('IQ3_S', 26, 'IQ3_S'),
  IQ2_XXS: q('IQ2_XXS', 19, 'IQ2_XXS', true),
  IQ2_XS: q('IQ2_XS', 20, 'IQ2_XS', true),
  IQ2_S: q('IQ2_S', 28, 'IQ2_S', true),
  IQ1_S: q('IQ1_S', 24, 'IQ1_S', true),
  IQ1_M: q('IQ1_M', 31, 'IQ1_M', true),
  F16: q('F16', 1, 'F16'),
  BF16: q('BF16', 32, 'BF16'),
} as const satisfies Record<string, GgufQuantType>;

/** A supported type name. */
export type GgufQuantName = keyof typeof GGUF_QUANT_TYPES;

/** The supported names, in table order. */
export const GGUF_QUANT_NAMES = Object.keys(GGUF_QUANT_TYPES) as GgufQuantName[];

/** The type named `name` (exact, as llama-quantize spells it); InputError listing the valid names otherwise. */
export function ggufQuantType(name: string, field = 'type'): GgufQuantType {
  if (Object.hasOwn(GGUF_QUANT_TYPES, name)) return GGUF_QUANT_TYPES[name as GgufQuantName];
  const hint = GGUF_QUANT_NAMES.find((n) => n.toLowerCase() === name.toLowerCase());
  throw new InputError(`${field}: unknown llama.cpp quantization type '${name}'${hint ? ` (did you mean ${hint}?)` : ''}: use one of ${GGUF_QUANT_NAMES.join(', ')}`);
}

/** The ggml type of the type's ordinary weights (from the GGUF type table). */
export function baseGgmlType(t: GgufQuantType): GgmlTypeInfo {
  const info = ggmlTypeByName(t.baseType);
  if (!info) throw new Error(`gguf-types: base type ${t.baseType} missing from GGML_TYPES`);
  return info;
}

/** Nominal bits per weight of the base type (block bytes × 8 / block size); mixes and fallbacks change the real figure. */
export function nominalBitsPerWeight(t: GgufQuantType): number {
  const b = baseGgmlType(t);
  return (b.typeSize * 8) / b.blockSize;
}
