/** `compbench synth`: writes a random-weight Llama model folder for decode benchmarks. */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { buildSynthLlama } from '../synth/llama-graph.js';
import { defaultHeads, defaultIntermediate, llamaWeightCount, type LlamaShape } from '../synth/llama-shape.js';
import { convertModel, formatLabel, LM_HEAD_POLICY, SYNTH_FORMATS, weightBytes, type SynthFormat } from '../synth/model-formats.js';
import { writeSynthLlamaFolder } from '../synth/synth-folder.js';
import { integerFlag, parseFlags } from './parse-flags.js';

/** Usage text of `compbench synth`. */
export const SYNTH_USAGE = `usage: compbench synth --out DIR --hidden H --layers L [options]
  Writes DIR: a random-weight Llama (LlamaForCausalLM config.json, the bundled 2048-token
  tokenizer, onnx/model.onnx + model.onnx.data with a KV cache, synth.json). It loads like
  any exported model (a run config's "models" entry, compbench generate --model DIR), but
  its text is noise: it is for timing.
  --hidden H        model width, 32..16384, a multiple of 32
  --layers L        decoder layers, 1..256
  --intermediate I  MLP width, a multiple of 32 (default 8H/3 rounded up to 256: 5632 at H 2048)
  --heads N         attention heads, dividing H into an even head_dim (default H/64)
  --kv-heads N      key/value heads, dividing --heads (default --heads; fewer = grouped-query)
  --vocab V         vocabulary, 2048..262144 (default 32000; ids past 2047 are never tokenized)
  --seed S          weight seed (default 0)
  --format F        ${SYNTH_FORMATS.map(formatLabel).join(', ')} (default fp32; nbitsB = nbitsB-acc0)
                    MatMulNBits is RTN asymmetric, block 32; lm_head is ${LM_HEAD_POLICY}`;

/** Resolves a --format value (a label, or `nbitsB` for accuracy level 0). */
export function parseSynthFormat(value: string): SynthFormat {
  const label = /^nbits\d$/u.test(value) ? `${value}-acc0` : value;
  const format = SYNTH_FORMATS.find((f) => formatLabel(f) === label);
  if (!format) throw new InputError(`--format must be one of ${SYNTH_FORMATS.map(formatLabel).join(', ')} (or nbits8|nbits4|nbits2), got '${value}'`);
  return format;
}

/** `compbench synth`; returns the exit code. */
export async function synthCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseFlags('synth', args, {
    out: { type: 'string' },
    hidden: { type: 'string' },
    layers: { type: 'string' },
    intermediate: { type: 'string' },
    heads: { type: 'string' },
    'kv-heads': { type: 'string' },
    vocab: { type: 'string' },
    seed: { type: 'string' },
    format: { type: 'string', default: 'fp32' },
    help: { type: 'boolean', default: false },
  });
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
