/** `compbench import`: a Hugging Face safetensors folder -> an ONNX model folder. */
import { InputError } from '../../core/errors.js';
import { SUPPORTED_FIELDS_NOTE, importCheckpointFolder } from '../import/index.js';
import { parseFlags } from './parse-flags.js';

/** Usage text of `compbench import`. */
export const IMPORT_USAGE = `usage: compbench import --from DIR --out DIR
  Reads a Hugging Face model folder (config.json, model.safetensors or a sharded
  model.safetensors.index.json in F32/F16/BF16, tokenizer.json) and writes DIR: an ONNX
  folder with a KV cache (onnx/model.onnx, + onnx/model.onnx_data above 2 GiB of fp32
  weights) that compbench run/compress/generate and transformers.js load like an optimum
  export. Weights are converted to fp32; import.json records the source files' sha256.
  ${SUPPORTED_FIELDS_NOTE}
  A run config's "models" entry may also name the safetensors folder directly: compbench
  run imports it into its cache first.
  --from DIR   the Hugging Face folder
  --out DIR    a new or empty folder`;

/** `compbench import`; returns the exit code. */
export async function importCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseFlags('import', args, {
    from: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    out(IMPORT_USAGE);
    return 0;
  }
  if (!values.from) throw new InputError('import needs --from DIR (a Hugging Face folder with config.json and *.safetensors), e.g. --from ./Qwen2-0.5B');
  if (!values.out) throw new InputError('import needs --out DIR (a new or empty folder), e.g. --out ./qwen2-onnx');
  const started = Date.now();
  const r = importCheckpointFolder(values.from, values.out);
  out(`${r.dir}: ${r.architecture} from ${r.sourceDtypes.join('/')} safetensors, ${(r.weightBytes / 1e6).toFixed(1)} MB of fp32 weights${r.externalData ? ' in onnx/model.onnx_data' : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
