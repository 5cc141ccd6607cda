/** `compbench synth`: writes a random-weight MatMul stack (not a full model) for decode benchmarks. */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { buildMatMulStack, stackWeightCount, type MatMulStackShape } from '../synth/matmul-stack.js';
import { convertStack, formatLabel, weightBytes, writeStackFolder, type StackFormat } from '../synth/stack-variants.js';
import { integerFlag, parseFlags } from './parse-flags.js';

/** Usage text of `compbench synth`. */
export const SYNTH_USAGE = `usage: compbench synth --out DIR --hidden H --layers L [--intermediate I] [--seed S] [--format F]
  Writes DIR/onnx/model.onnx: a random-weight stack of L layers of Llama-sized MatMuls
  (4·H² + 3·H·I weights each, SwiGLU, residual adds; input x (batch,H), output y (batch,H)).
  It is a MatMul stack, not a full model: no tokenizer, attention arithmetic or KV cache.
  --intermediate I  MLP width (default round(8H/3) up to a multiple of 32)
  --seed S          weight seed (default 0)
  --format F        fp32 (default), nbits8|nbits4|nbits2 (MatMulNBits, RTN block 32, accuracy_level 0), w8a8`;

const FORMATS: Record<string, StackFormat> = {
  fp32: { kind: 'fp32' },
  nbits8: { kind: 'nbits', bits: 8, accuracyLevel: 0 },
  nbits4: { kind: 'nbits', bits: 4, accuracyLevel: 0 },
  nbits2: { kind: 'nbits', bits: 2, accuracyLevel: 0 },
  w8a8: { kind: 'w8a8' },
};

/** `compbench synth`; returns the exit code. */
export async function synthCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseFlags('synth', args, {
    out: { type: 'string' },
    hidden: { type: 'string' },
    layers: { type: 'string' },
    intermediate: { type: 'string' },
    seed: { type: 'string' },
    format: { type: 'string', default: 'fp32' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    out(SYNTH_USAGE);
    return 0;
  }
  if (!values.out) throw new InputError('synth needs --out DIR (a new or empty folder), e.g. --out bench/tmp/stack');
  if (values.hidden === undefined || values.layers === undefined) throw new InputError('synth needs --hidden H and --layers L, e.g. --hidden 2048 --layers 8');
  const format = FORMATS[values.format ?? 'fp32'];
  if (!format) throw new InputError(`--format must be one of ${Object.keys(FORMATS).join(', ')}, got '${values.format}'`);
  const dir = resolve(values.out);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new InputError(`--out ${dir} is not empty; pick a new folder`);
  const hidden = integerFlag('hidden', values.hidden, 0);
  const shape: MatMulStackShape = {
    hidden,
    layers: integerFlag('layers', values.layers, 0),
    intermediate: integerFlag('intermediate', values.intermediate, Math.ceil((8 * hidden) / 3 / 32) * 32),
    seed: integerFlag('seed', values.seed, 0),
  };
  const model = convertStack(buildMatMulStack(shape), format);
  const file = writeStackFolder(model, dir, { ...shape, format: formatLabel(format), weightCount: stackWeightCount(shape), weightBytes: weightBytes(model) });
  out(`${file}: ${formatLabel(format)} MatMul stack, ${shape.layers} × (h ${shape.hidden}, I ${shape.intermediate}), ${(weightBytes(model) / 1e6).toFixed(1)} MB of weights`);
  return 0;
}
