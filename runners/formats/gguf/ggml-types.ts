/**
 * ggml tensor types as GGUF stores them (ggml.h `enum ggml_type`, llama.cpp as bundled by
 * node-llama-cpp 3.22.1): id, name, elements per block and bytes per block. Types whose
 * layout this table does not know are refused by readers, never guessed.
 */

/** One ggml type. */
export interface GgmlTypeInfo {
  readonly id: number;
  readonly name: string;
  /** Elements per block (1 for plain types). */
  readonly blockSize: number;
  /** Bytes per block. */
  readonly typeSize: number;
  /** True for codebook types (IQ*), whose values are lookups, not an affine grid. */
  readonly codebook: boolean;
}

const t = (id: number, name: string, blockSize: number, typeSize: number, codebook = false): GgmlTypeInfo => ({
  id,
  name,
  blockSize,
  typeSize,
  codebook,
});

/** Every type this build of compbench can size, by id. */
export const GGML_TYPES: ReadonlyMap<number, GgmlTypeInfo> = new Map(
  [
    t(0, 'F32', 1, 4),
    t(1, 'F16', 1, 2),
    t(2, 'Q4_0', 32, 18),
    t(3, 'Q4_1', 32, 20),
    t(6, 'Q5_0', 32, 22),
    t(7, 'Q5_1', 32, 24),
    t(8, 'Q8_0', 32, 34),
    t(9, 'Q8_1', 32, 36),
    t(10, 'Q2_K', 256, 84),
    t(11, 'Q3_K', 256, 110),
    t(12, 'Q4_K', 256, 144),
    t(13, 'Q5_K', 256, 176),
    t(14, 'Q6_K', 256, 210),
    t(15, 'Q8_K', 256, 292),
    t(16, 'IQ2_XXS', 256, 66, true),
    t(17, 'IQ2_XS', 256, 74, true),
    t(18, 'IQ3_XXS', 256, 98, true),
    t(19, 'IQ1_S', 256, 50, true),
    t(20, 'IQ4_NL', 32, 18, true),
    t(21, 'IQ3_S', 256, 110, true),
    t(22, 'IQ2_S', 256, 82, true),
    t(23, 'IQ4_XS', 256, 136, true),
    t(24, 'I8', 1, 1),
    t(25, 'I16', 1, 2),
    t(26, 'I32', 1, 4),
    t(27, 'I64', 1, 8),
    t(28, 'F64', 1, 8),
    t(29, 'IQ1_M', 256, 56, true),
    t(30, 'BF16', 1, 2),
    t(34, 'TQ1_0', 256, 54, true),
    t(35, 'TQ2_0', 256, 66, true),
  ].map((x) => [x.id, x]),
);

/** The type with this name (e.g. `Q4_0`), or undefined. */
export function ggmlTypeByName(name: string): GgmlTypeInfo | undefined {
  for (const x of GGML_TYPES.values()) if (x.name === name) return x;
  return undefined;
}

/** Bytes of a tensor of `elements` values of `type` (elements must be a multiple of the block). */
export function ggmlTensorBytes(type: GgmlTypeInfo, elements: number): number {
  return (elements / type.blockSize) * type.typeSize;
}
