/** `compbench export`: an fp32 ONNX model folder -> a GGUF file llama.cpp runs. */
import { InputError } from '../../core/errors.js';
import { exportGguf } from '../import/index.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { EXPORT_SPEC } from '../../core/cli/specs/export.js';

/** Usage text of `compbench export`. */
export const EXPORT_USAGE = commandUsage(EXPORT_SPEC);

/** `compbench export`; returns the exit code. */
export async function exportCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs(EXPORT_SPEC, args);
  if (values.help) {
    out(EXPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError(`export takes one model folder, got ${positionals.length}; e.g. compbench export datasets/models/teacher --gguf teacher.gguf`);
  if (!values.gguf) throw new InputError('export needs --gguf FILE (the GGUF file to write), e.g. --gguf teacher.gguf');
  const dtype = (values.dtype ?? 'f32').toUpperCase();
  if (dtype !== 'F32' && dtype !== 'F16') throw new InputError(`--dtype must be f32 or f16 (got '${values.dtype}')`);
  const started = Date.now();
  const r = await exportGguf(positionals[0], values.gguf, { dtype });
  out(`${r.file}: llama ${r.dtype}, ${r.tensors} tensors, ${(r.bytes / 1e6).toFixed(1)} MB, tokenizer ${r.vocabForm}${r.tiedEmbeddings ? ', tied embeddings' : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
