export { ARCHITECTURES, parseHfConfig, type Family, type HfModel } from './hf-config.js';
export { ropeFrequencies, SUPPORTED_ROPE_TYPES } from './rope-config.js';
export { checkpointWeights, transpose, type CheckpointWeights } from './checkpoint-weights.js';
export { fileSha256, importCheckpointFolder, IMPORTER_VERSION, readSourceModel, type ImportOptions, type ImportResult } from './import-folder.js';
export { importedModelDir, importKey, needsImport } from './import-cache.js';
export { exportGguf, type ExportOptions, type ExportRecord } from './onnx-to-gguf.js';
export { importGguf, GGUF_IMPORT_ACCURACY_LEVEL, type ImportRecord } from './gguf-to-onnx.js';
export { ggufVocab, KNOWN_BYTE_LEVEL_PRE, TokenType, type GgufVocab, type VocabForm } from './gguf-vocab.js';
export { tokenizerFromGguf, type TokenizerFiles } from './gguf-tokenizer-json.js';
export { EXTERNAL_DATA_NAME, ExternalDataSink, INLINE_LIMIT_BYTES, inlineSink, writeModelFramed } from './write-onnx.js';

/** One line for usage texts: what the importer maps. */
export const SUPPORTED_FIELDS_NOTE = 'Architectures: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Phi3ForCausalLM (RoPE default/linear/llama3/longrope; README lists every config field).';
