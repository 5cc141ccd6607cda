/** `compbench import`: a Hugging Face safetensors folder, or a GGUF file, -> an ONNX model folder. */
import { InputError } from '../../core/errors.js';
import { SUPPORTED_FIELDS_NOTE, importCheckpointFolder, importGguf } from '../import/index.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { IMPORT_SPEC } from '../../core/cli/specs/import.js';

/** Usage text of `compbench import`. */
export const IMPORT_USAGE = commandUsage(IMPORT_SPEC);

/** `compbench import`; returns the exit code. */
export async function importCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs(IMPORT_SPEC, args);
  if (values.help) {
    out(IMPORT_USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new InputError(`import takes one GGUF file, got ${positionals.length} (${positionals.join(' ')}); see 'compbench import --help'`);
  const gguf = positionals[0] ?? (values.from?.toLowerCase().endsWith('.gguf') ? values.from : undefined);
  if (positionals[0] && !positionals[0].toLowerCase().endsWith('.gguf')) throw new InputError(`import: '${positionals[0]}' is not a .gguf file; give a folder with --from DIR, or FILE.gguf`);
  if (gguf) {
    if (!values.out) throw new InputError('import needs --out DIR (a new or empty folder), e.g. --out ./model-onnx');
    const started = Date.now();
    const r = await importGguf(gguf, values.out);
    const forms = new Map<string, number>();
    for (const t of r.tensors) forms.set(`${t.type}→${t.form}`, (forms.get(`${t.type}→${t.form}`) ?? 0) + 1);
    out(`${r.dir}: llama from GGUF, ${r.tensors.length} tensors (${[...forms].map(([k, n]) => `${n} ${k}`).join(', ')}), tokenizer ${r.tokenizer}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  }
  if (!values.from) throw new InputError('import needs --from DIR (a Hugging Face folder with config.json and *.safetensors), e.g. --from ./Qwen2-0.5B');
  if (!values.out) throw new InputError('import needs --out DIR (a new or empty folder), e.g. --out ./qwen2-onnx');
  const started = Date.now();
  const r = importCheckpointFolder(values.from, values.out);
  out(`${r.dir}: ${r.architecture} from ${r.sourceDtypes.join('/')} safetensors, ${(r.weightBytes / 1e6).toFixed(1)} MB of fp32 weights${r.externalData ? ' in onnx/model.onnx_data' : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
