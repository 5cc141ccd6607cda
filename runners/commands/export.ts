/** `compbench export`: an fp32 ONNX model folder -> a GGUF file llama.cpp runs. */
import { InputError } from '../../core/errors.js';
import { exportGguf } from '../import/index.js';
import { parseFlags } from './parse-flags.js';

/** Usage text of `compbench export`. */
export const EXPORT_USAGE = `usage: compbench export MODEL_DIR --gguf OUT.gguf [--dtype f32|f16]
  Writes the fp32 ONNX model folder (config.json, tokenizer.json, onnx/model.onnx of a
  LlamaForCausalLM: the bundled models, an optimum export, compbench synth or import
  output) as one GGUF v3 file for llama.cpp: llama.* hyperparameters, the tokenizer, and
  the weights under llama.cpp's names with Q/K rows in its RoPE order. Compressed graphs
  (MatMulNBits, MatMulInteger…) are refused: export their fp32 base.
  --gguf FILE   the GGUF file to write
  --dtype T     f32 (default) or f16 (matrices in f16, norms stay f32, as llama.cpp's converter)`;

/** `compbench export`; returns the exit code. */
export async function exportCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseFlags('export', args, {
    gguf: { type: 'string' },
    dtype: { type: 'string', default: 'f32' },
    help: { type: 'boolean', default: false },
  }, true);
  if (values.help) {
    out(EXPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError(`export takes one model folder, got ${positionals.length}; e.g. compbench export datasets/models/teacher --gguf teacher.gguf`);
  if (!values.gguf) throw new InputError('export needs --gguf FILE (the GGUF file to write), e.g. --gguf teacher.gguf');
  const dtype = values.dtype.toUpperCase();
  if (dtype !== 'F32' && dtype !== 'F16') throw new InputError(`--dtype must be f32 or f16 (got '${values.dtype}')`);
  const started = Date.now();
  const r = await exportGguf(positionals[0], values.gguf, { dtype });
  out(`${r.file}: llama ${r.dtype}, ${r.tensors} tensors, ${(r.bytes / 1e6).toFixed(1)} MB, tokenizer ${r.vocabForm}${r.tiedEmbeddings ? ', tied embeddings' : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
