export { GGML_TYPES, ggmlTypeByName, ggmlTensorBytes, type GgmlTypeInfo } from './ggml-types.js';
export { readGgufFile, readGgufTensorBytes, ggufString, ggufNumber, type GgufFile, type GgufTensorInfo, type GgufValue } from './gguf-file.js';
export { GGUF_ALIGNMENT, GgufKind, writeGgufFile, type GgufEntry, type GgufScalarKind, type GgufTensorOut } from './gguf-writer.js';
export { DEQUANTIZERS, dequantizerOf, dequantizeTensor, type Dequantizer } from './dequantize.js';
export { bf16ToF32, f16ToF32, f32ToF16 } from './half.js';
