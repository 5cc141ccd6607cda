import type { CommandSpec } from '../flag-table.js';

/** `compbench import`: a Hugging Face folder or a GGUF file as an ONNX model folder. */
export const IMPORT_SPEC = {
  name: 'import',
  summary: 'a Hugging Face safetensors folder or a .gguf file as an ONNX model folder with a KV cache',
  synopsis: '--from DIR --out DIR | FILE.gguf --out DIR',
  positionals: { min: 0, max: 1 },
  flags: {
    from: { type: 'string', value: 'DIR', help: 'the Hugging Face folder (config.json, *.safetensors, tokenizer.json)' },
    out: { type: 'string', value: 'DIR', help: 'a new or empty folder' },
  },
  example: 'compbench import --from ./Qwen2-0.5B --out ./qwen2-onnx',
  details: [
    'Reads a Hugging Face model folder (config.json, model.safetensors or a sharded',
    'model.safetensors.index.json in F32/F16/BF16, tokenizer.json) and writes DIR: an ONNX folder with a KV',
    'cache (onnx/model.onnx, + onnx/model.onnx_data above 2 GiB of fp32 weights) that compbench',
    'run/compress/generate and transformers.js load like an optimum export. Weights are converted to fp32;',
    "import.json records the source files' sha256.",
  ],
} as const satisfies CommandSpec;
