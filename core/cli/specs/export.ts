import type { CommandSpec } from '../flag-table.js';

/** `compbench export`: an fp32 ONNX folder as a GGUF file. */
export const EXPORT_SPEC = {
  name: 'export',
  summary: 'an fp32 Llama ONNX model folder as one GGUF v3 file for llama.cpp',
  synopsis: 'MODEL_DIR --gguf OUT.gguf [--dtype f32|f16]',
  positionals: { min: 1, max: 1 },
  flags: {
    gguf: { type: 'string', value: 'FILE', help: 'the GGUF file to write' },
    dtype: { type: 'string', value: 'f32|f16', initial: 'f32', help: "matrices in f32 or f16 (norms stay f32, as llama.cpp's converter)" },
  },
  example: 'compbench export datasets/models/teacher --gguf teacher.gguf --dtype f16',
  details: [
    'Writes the fp32 ONNX model folder (config.json, tokenizer.json, onnx/model.onnx of a LlamaForCausalLM:',
    'the bundled models, an optimum export, compbench synth or import output) as one GGUF v3 file:',
    "llama.* hyperparameters, the tokenizer, and the weights under llama.cpp's names with Q/K rows in its",
    'RoPE order. Compressed graphs (MatMulNBits, MatMulInteger…) are refused: export their fp32 base.',
  ],
} as const satisfies CommandSpec;
