export { GGUF_QUANT_TYPES, GGUF_QUANT_NAMES, ggufQuantType, baseGgmlType, nominalBitsPerWeight, type GgufQuantType, type GgufQuantName } from './gguf-types.js';
export { importanceMatrixFromActivations, checkImportanceMatrix, type ImportanceMatrix } from './importance-matrix.js';
export { importanceMatrixForOnnxModel, importanceMatrixForGguf, ggufNameOfOnnxWeight, type OnnxImatrixOptions } from './onnx-importance-matrix.js';
export { quantizeGguf, assertUnquantizedSource, sha256File, type QuantizeGgufOptions } from './quantize-gguf.js';
export type { GgufQuantRecord, QuantTensorRecord, ShapeLimitedTensor } from './quant-record.js';
export type { GgufFallback } from './quant-log.js';
