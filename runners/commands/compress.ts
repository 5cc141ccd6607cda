import { InputError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { assertMethodId, type ParamValue } from '../../kernels/index.js';
import { CALIBRATION_MODES, type CalibrationMode } from '../compress/calibration-set.js';
import type { CompressSpec, ExecutionForm } from '../compress/spec.js';
import { describeSelfCheck, selfCheckVariant } from '../compress/self-check.js';
import { compressModel } from '../compress/variants.js';
import { KERNEL_IMPLS, type KernelImpl } from '../compress/fast/kernel-set.js';
import { integerFlag } from './parse-flags.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { COMPRESS_SPEC } from '../../core/cli/specs/compress.js';

/** Usage text of `compbench compress`. */
export const COMPRESS_USAGE = commandUsage(COMPRESS_SPEC);

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

function compressWorkersFlag(v: string): number {
  const n = integerFlag('compress-workers', v, 1);
  if (n < 1 || n > 256) throw new InputError(`--compress-workers must be an integer from 1 to 256 (got '${v}')`);
  return n;
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
  const { values } = parseCommandArgs(COMPRESS_SPEC, args);
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
    ...(values['compress-workers'] !== undefined ? { workers: compressWorkersFlag(values['compress-workers']) } : {}),
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
