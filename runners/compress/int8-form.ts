/**
 * Which W8A8 operand types this CPU computes exactly. onnxruntime's MatMulInteger with
 * uint8 activations × int8 weights (U8S8) runs, on x86 CPUs without VNNI, the AVX2
 * kernel that adds pairs of u8·s8 products in int16 with saturation (vpmaddubsw), so
 * large activations × large weights clip; onnxruntime's quantization docs recommend
 * reduce-range or U8U8 there. U8U8 widens to int16 before multiplying (vpmaddwd) and is
 * exact everywhere; with VNNI (vpdpbusd) or AMX, U8S8 accumulates in int32 and is exact.
 * Measured on an AVX2-only EPYC: U8S8 chain vs exact int32 products, relative error 0.26.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';

/** Operand types of the W8A8 MatMulInteger: activations uint8, weights int8 or uint8. */
export type Int8Form = 'u8s8' | 'u8u8';

/** The chosen form and why (recorded in compression.json, the run and the change record). */
export interface Int8FormChoice {
  readonly form: Int8Form;
  readonly reason: string;
}

/** Integer dot-product support of a CPU, from its flags. */
export interface IntDotSupport {
  /** Flags found that give exact int32 accumulation of u8·s8 (avx512_vnni, avx_vnni, amx_int8, asimddp, i8mm). */
  readonly exactU8S8Flags: readonly string[];
  /** `COMPBENCH_INT8_FORM` forced the choice (tests run both forms on one machine). */
  readonly forced?: Int8Form;
}

const EXACT_U8S8_FLAGS = ['avx512_vnni', 'avx_vnni', 'amx_int8', 'asimddp', 'i8mm'];

/** The environment variable that forces a form (`u8u8` or `u8s8`), e.g. to test the non-VNNI path on a VNNI machine. */
export const INT8_FORM_ENV = 'COMPBENCH_INT8_FORM';

/** Reads `/proc/cpuinfo` (first CPU's flags) and the override. */
export function intDotSupport(cpuinfo: string | undefined = readCpuinfo(), env: string | undefined = process.env[INT8_FORM_ENV]): IntDotSupport {
  const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(cpuinfo ?? '')?.[1] ?? '';
  const have = new Set(line.split(/\s+/));
  const forced = env === undefined || env === '' ? undefined : checkForm(env);
  return { exactU8S8Flags: EXACT_U8S8_FLAGS.filter((f) => have.has(f)), ...(forced ? { forced } : {}) };
}

function checkForm(v: string): Int8Form {
  if (v === 'u8s8' || v === 'u8u8') return v;
  throw new InputError(`${INT8_FORM_ENV} must be 'u8u8' or 'u8s8' (got '${v}'); unset it to choose by CPU`);
}

function readCpuinfo(): string | undefined {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * U8S8 where the CPU accumulates u8·s8 exactly, else U8U8 (exact on every CPU; on this
 * project's AVX2 measurements no slower than a saturating U8S8 would be worth).
 */
export function chooseInt8Form(support: IntDotSupport = intDotSupport()): Int8FormChoice {
  if (support.forced) return { form: support.forced, reason: `forced by ${INT8_FORM_ENV}=${support.forced}` };
  if (support.exactU8S8Flags.length > 0) {
    return { form: 'u8s8', reason: `CPU has ${support.exactU8S8Flags.join(', ')}: uint8×int8 accumulates exactly in int32` };
  }
  return { form: 'u8u8', reason: 'CPU has no VNNI/AMX/dotprod: onnxruntime\'s uint8×int8 kernel adds pairs in saturating int16 here, so weights are stored uint8 (zero point 128), which is exact' };
}
