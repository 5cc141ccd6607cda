export { buildSynthLlama } from './llama-graph.js';
export { checkLlamaShape, defaultHeads, defaultIntermediate, headDimOf, llamaWeightCount, TOKENIZER_VOCAB, type LlamaShape } from './llama-shape.js';
export { convertModel, formatLabel, LM_HEAD_POLICY, NBITS_BLOCK, SYNTH_FORMATS, weightBytes, withAccuracyLevel, type SynthFormat } from './model-formats.js';
export { llamaConfigJson, writeOnnxWithExternalData, writeSynthLlamaFolder } from './synth-folder.js';
