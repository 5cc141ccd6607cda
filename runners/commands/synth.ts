/** `compbench synth`: writes a random-weight Llama model folder for decode benchmarks. */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { buildSynthLlama } from '../synth/llama-graph.js';
import { defaultHeads, defaultIntermediate, llamaWeightCount, type LlamaShape } from '../synth/llama-shape.js';
import { convertModel, formatLabel, LM_HEAD_POLICY, SYNTH_FORMATS, weightBytes, type SynthFormat } from '../synth/model-formats.js';
import { writeSynthLlamaFolder } from '../synth/synth-folder.js';
import { integerFlag } from './parse-flags.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { SYNTH_SPEC } from '../../core/cli/specs/synth.js';

/** Usage text of `compbench synth`. */
export const SYNTH_USAGE = commandUsage(SYNTH_SPEC);

/** Resolves a --format value (a label, or `nbitsB` for accuracy level 0). */
export function parseSynthFormat(value: string): SynthFormat {
  const label = /^nbits\d$/u.test(value) ? `${value}-acc0` : value;
  const format = SYNTH_FORMATS.find((f) => formatLabel(f) === label);
  if (!format) throw new InputError(`--format must be one of ${SYNTH_FORMATS.map(formatLabel).join(', ')} (or nbits8|nbits4|nbits2), got '${value}'`);
  return format;
}

/** `compbench synth`; returns the exit code. */
export async function synthCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(SYNTH_SPEC, args);
  if (values.help) {
    out(SYNTH_USAGE);
    return 0;
  }
  if (!values.out) throw new InputError('synth needs --out DIR (a new or empty folder outside the repository), e.g. --out ../synth-llama');
  if (values.hidden === undefined || values.layers === undefined) throw new InputError('synth needs --hidden H and --layers L, e.g. --hidden 2048 --layers 8');
  const format = parseSynthFormat(values.format ?? 'fp32');
  const hidden = integerFlag('hidden', values.hidden, 0);
  const heads = integerFlag('heads', values.heads, defaultHeads(hidden));
  const shape: LlamaShape = {
    hidden,
    layers: integerFlag('layers', values.layers, 0),
    intermediate: integerFlag('intermediate', values.intermediate, defaultIntermediate(hidden)),
    heads,
    kvHeads: integerFlag('kv-heads', values['kv-heads'], heads),
    vocab: integerFlag('vocab', values.vocab, 32000),
    maxPositions: 2048,
    seed: integerFlag('seed', values.seed, 0),
  };
  const dir = resolve(values.out);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new InputError(`--out ${dir} is not empty; pick a new folder`);
  const model = convertModel(buildSynthLlama(shape), format);
  const bytes = weightBytes(model);
  const label = formatLabel(format);
  writeSynthLlamaFolder(model, dir, shape, { format: label, lmHead: LM_HEAD_POLICY, weightCount: llamaWeightCount(shape), weightBytes: bytes });
  out(`${dir}: ${label} random-weight Llama, ${shape.layers} layers × (h ${shape.hidden}, I ${shape.intermediate}, ${shape.heads}/${shape.kvHeads} heads), vocab ${shape.vocab}, ${(bytes / 1e6).toFixed(1)} MB of weights`);
  return 0;
}
