export { GGML_TYPES, ggmlTypeByName, ggmlTensorBytes, type GgmlTypeInfo } from './ggml-types.js';
export { readGgufFile, readGgufTensorBytes, ggufString, ggufNumber, type GgufFile, type GgufTensorInfo, type GgufValue } from './gguf-file.js';
