import { InputError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { assertMethodId, type ParamValue } from '../../kernels/index.js';
import { CALIBRATION_MODES, type CalibrationMode } from '../compress/calibration-set.js';
import type { CompressSpec, ExecutionForm } from '../compress/spec.js';
import { describeSelfCheck, selfCheckVariant } from '../compress/self-check.js';
import { compressModel } from '../compress/variants.js';
import { KERNEL_IMPLS, type KernelImpl } from '../compress/fast/kernel-set.js';
import { integerFlag, parseFlags } from './parse-flags.js';

/** Usage text of `compbench compress`. */
export const COMPRESS_USAGE = `usage: compbench compress --method ID --out DIR [--model DIR] [options]
  Compresses every eligible MatMul weight of the model folder DIR (default: the bundled
  datasets/models/teacher) and writes a new folder with compression.json.
  --method rtn|nf4|gptq|awq|smoothquant|magnitude|wanda|nm|structured|kv-cache|gguf|llm-int8|flap|fairprune
  --bits N (2–8)  --group G (channel, tensor or a size; the last group of K may be partial)  --sym | --asym
  --sym-grid full|narrow (with --sym: scale 2a/(2^b-1), codes 0..2^b-1 | scale a/(2^(b-1)-1), codes 1..2^b-1)
  --sparsity S ([0,1))  --pattern N:M  --score wanda|magnitude (nm)  --alpha A (smoothquant)  --ratio R  --target heads|ffn|both (structured)
  --threshold T (llm-int8: |activation| ≥ T on the calibration set keeps an input feature fp32; default 6)  --ratio R (flap: fraction of FFN channels)
  --slice-suite S --slice-tag T --protect V --beta B (fairprune: calibration texts of suite S split by tag T; prune by saliency of slice V minus B × the others'; default fairness, dialect, sco, 0.2)
  quantization-aware recovery is not a --method (it trains, offline: datasets/train/qat.py); compress a recovered
  model's latent weights on the grid it trained for, e.g. --model datasets/models/teacher-qat-w3 --method rtn --bits 3
  --group 32; compression.json's "recovery" copies its provenance.json (steps, seed, training-token and log sha256, losses, gridMatches)
  --act-order (gptq)  --block-size N (nf4)  --double-quant (nf4)
  --kv-type q8_0|q4_0|kivi2 (kv-cache: weights unchanged, the backend quantizes the KV cache)  --group G --residual R (kivi2)
  --gguf-type Q4_K_M|Q8_0|…|F32 (gguf: llama.cpp's quantizer, writes DIR/model.gguf)  --imatrix  --kv-cache f32|f16|q8_0|q4_0 (llama.cpp KV cache)
  --form packed|simulated (default: packed where onnxruntime runs it)  --accuracy-level L (MatMulNBits, default 4)
  --calib FILE (default: the bundled training corpus)  --calib-n N (16)  --calib-len L (128)  --seed N (0)
  --calib-mode stream|documents (stream: packed across documents; documents: one BOS-started sequence each)
  --include-head  --external-data  --threads N
  --kernels fast|reference (gptq, awq, wanda: GEMM-engine fast paths, the default, or the scalar reference kernels)`;

function numberFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InputError(`--${name} must be a number (got '${v}')`);
  return n;
}

function groupFlag(v: string | undefined): ParamValue | undefined {
  if (v === undefined || v === 'channel' || v === 'tensor') return v;
  if (!/^\d+$/u.test(v)) throw new InputError(`--group must be 'channel', 'tensor' or a positive integer (got '${v}')`);
  return Number(v);
}

function calibModeFlag(v: string): CalibrationMode {
  if (!(CALIBRATION_MODES as readonly string[]).includes(v)) throw new InputError(`--calib-mode must be ${CALIBRATION_MODES.join(' or ')} (got '${v}')`);
  return v as CalibrationMode;
}

/** The method params given on the command line (absent flags stay absent: registry defaults apply). */
function paramsFrom(values: Record<string, string | boolean | undefined>): Record<string, ParamValue> {
  const p: Record<string, ParamValue | undefined> = {
    bits: values.bits === undefined ? undefined : integerFlag('bits', values.bits as string, 0),
    group: groupFlag(values.group as string | undefined),
    symmetric: values.sym ? true : values.asym ? false : undefined,
    symGrid: values['sym-grid'] as string | undefined,
    score: values.score as string | undefined,
    sparsity: numberFlag('sparsity', values.sparsity as string | undefined),
    alpha: numberFlag('alpha', values.alpha as string | undefined),
    ratio: numberFlag('ratio', values.ratio as string | undefined),
    threshold: numberFlag('threshold', values.threshold as string | undefined),
    beta: numberFlag('beta', values.beta as string | undefined),
    suite: values['slice-suite'] as string | undefined,
    sliceTag: values['slice-tag'] as string | undefined,
    protect: values.protect as string | undefined,
    target: values.target as string | undefined,
    actOrder: values['act-order'] ? true : undefined,
    blockSize: values['block-size'] === undefined ? undefined : integerFlag('block-size', values['block-size'] as string, 0),
    doubleQuant: values['double-quant'] ? true : undefined,
    type: (values['kv-type'] ?? values['gguf-type']) as string | undefined,
    imatrix: values.imatrix ? true : undefined,
    kvCache: values['kv-cache'] as string | undefined,
    residual: values.residual === undefined ? undefined : integerFlag('residual', values.residual as string, 0),
  };
  if (values.sym && values.asym) throw new InputError('--sym and --asym exclude each other; give one');
  const pattern = values.pattern as string | undefined;
  if (pattern !== undefined) {
    const m = /^(\d+):(\d+)$/u.exec(pattern);
    if (!m) throw new InputError(`--pattern must look like N:M (e.g. 2:4), got '${pattern}'`);
    [p.n, p.m] = [Number(m[1]), Number(m[2])];
  }
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Record<string, ParamValue>;
}

/** `compbench compress`: writes the variant folder; returns the exit code. */
export async function compressCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseFlags('compress', args, {
    model: { type: 'string' }, method: { type: 'string' }, out: { type: 'string' },
    bits: { type: 'string' }, group: { type: 'string' }, sym: { type: 'boolean' }, asym: { type: 'boolean' }, 'sym-grid': { type: 'string' },
    sparsity: { type: 'string' }, pattern: { type: 'string' }, score: { type: 'string' }, alpha: { type: 'string' }, ratio: { type: 'string' }, target: { type: 'string' }, threshold: { type: 'string' },
    beta: { type: 'string' }, 'slice-suite': { type: 'string' }, 'slice-tag': { type: 'string' }, protect: { type: 'string' },
    'act-order': { type: 'boolean' }, 'block-size': { type: 'string' }, 'double-quant': { type: 'boolean' }, 'kv-type': { type: 'string' }, residual: { type: 'string' },
    'gguf-type': { type: 'string' }, imatrix: { type: 'boolean' }, 'kv-cache': { type: 'string' },
    'accuracy-level': { type: 'string' }, form: { type: 'string' },
    calib: { type: 'string' }, 'calib-n': { type: 'string' }, 'calib-len': { type: 'string' }, 'calib-mode': { type: 'string' }, seed: { type: 'string' },
    'include-head': { type: 'boolean' }, 'external-data': { type: 'boolean' }, threads: { type: 'string' },
    kernels: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    out(COMPRESS_USAGE);
    return 0;
  }
  if (values.method === undefined) throw new InputError("compress: --method is required (e.g. --method rtn); see 'compbench compress --help'");
  if (values.out === undefined) throw new InputError("compress: --out DIR is required (a new folder for the variant)");
  assertMethodId(values.method);
  if (values.form !== undefined && values.form !== 'packed' && values.form !== 'simulated') {
    throw new InputError(`--form must be 'packed' or 'simulated' (got '${values.form}')`);
  }
  if (values.kernels !== undefined && !(KERNEL_IMPLS as readonly string[]).includes(values.kernels)) {
    throw new InputError(`--kernels must be ${KERNEL_IMPLS.join(' or ')} (got '${values.kernels}')`);
  }
  const spec: CompressSpec = {
    method: values.method,
    params: paramsFrom(values),
    ...(values.form ? { form: values.form as ExecutionForm } : {}),
    ...(values['accuracy-level'] !== undefined ? { accuracyLevel: integerFlag('accuracy-level', values['accuracy-level'], 0) } : {}),
    includeHead: values['include-head'] ?? false,
  };
  const calibration = {
    ...(values.calib !== undefined ? { textFile: values.calib } : {}),
    ...(values['calib-n'] !== undefined ? { nSequences: integerFlag('calib-n', values['calib-n'], 0) } : {}),
    ...(values['calib-len'] !== undefined ? { seqLen: integerFlag('calib-len', values['calib-len'], 0) } : {}),
    ...(values.seed !== undefined ? { seed: integerFlag('seed', values.seed, 0) } : {}),
    ...(values['calib-mode'] !== undefined ? { mode: calibModeFlag(values['calib-mode']) } : {}),
  };
  const { outDir, record } = await compressModel(values.model ?? packagePath('datasets', 'models', 'teacher'), spec, values.out, {
    calibration,
    ...(values['external-data'] ? { externalData: true } : {}),
    threads: Math.max(1, integerFlag('threads', values.threads, 1)),
    ...(values.kernels !== undefined ? { kernels: values.kernels as KernelImpl } : {}),
    // Per-weight progress with an ETA on a terminal only: piped stderr stays for errors.
    ...(process.stderr.isTTY ? { progress: (line: string) => process.stderr.write(`${line}\n`) } : {}),
  });
  out(`${outDir}: ${record.method} ${JSON.stringify(record.params)} form ${record.execution.form}, ${record.compressed.weights} weights, ${record.sizeBytes} bytes (base ${record.baseSizeBytes}), ${(record.timingsMs.total / 1000).toFixed(1)} s`);
  if (record.execution.int8Operands) out(`${outDir}: W8A8 operands ${record.execution.int8Operands.form}: ${record.execution.int8Operands.reason}`);
  // A packed kernel is checked on the machine that built it; exit 1 when it is wrong here.
  const check = record.execution.form === 'packed' ? await selfCheckVariant(outDir, { threads: Math.max(1, integerFlag('threads', values.threads, 1)), reuse: false }) : undefined;
  if (check) out(`${outDir}: ${describeSelfCheck(check)}`);
  return check?.state === 'invalid' ? 1 : 0;
}
