/**
 * The self-check of a packed variant on the machine that runs it: its logits on a small
 * fixed probe against its simulated twin (twin.ts), with a bound that belongs to the
 * form. A packed kernel that computes something else on this CPU (onnxruntime's
 * saturating uint8×int8 path without VNNI, a broken build) is caught here and its
 * variant is refused, never scored. A llama.cpp (GGUF) variant is checked against its
 * weights dequantized into fp32 ONNX (gguf/gguf-self-check.ts). Results are kept per machine in
 * `<variant>/self-check/<machine key>.json`, so each machine checks each variant once.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import type { SelfCheckRecord } from '../../core/run-record.js';
import { hardwareFingerprint } from '../hardware.js';
import { nodeLlamaCppVersion } from '../backends/llama-cpp/version.js';
import { ggufFileOf, ggufSelfCheckPlan, isGgufRecord, probeGguf } from './gguf/gguf-self-check.js';
import { inlineExternalData, openSurgeryModel } from './model-graph.js';
import { compareLogits, onnxLogitsOnProbe, PROBE, type LogitComparison } from './self-check-probe.js';
import { simulatedTwin } from './twin.js';
import { writeVariant } from './write-variant.js';

/** Bumped when the probe, the twin or the bounds change: older stored results are ignored. */
export const SELF_CHECK_VERSION = 1;

/**
 * Bounds on the relative RMS error of the logits, ‖packed − twin‖₂ / ‖twin‖₂, per form.
 * Measured (onnxruntime-node 1.30, CPU; README "Self-check"): MatMulNBits level 0: 0 to
 * 1e-6 (the same fp32 GEMM after dequantizing); level 4 (int8 activations per block):
 * up to 0.018 on the bundled models and stories260k; W8A8 vs its integer-exact twin:
 * ≤ 1e-6 where exact, 0.1–0.3 when the kernel saturates.
 * llama.cpp (node-llama-cpp 3.22.1, zen4 CPU library, 1 thread) vs the GGUF's weights
 * dequantized into fp32 onnxruntime: F32 6.1e-7 (teacher), 2.2e-7 (stories260k).
 * Quantized types (activations rounded to q8_0/q8_K per block, f16 for F16 tensors),
 * teacher, F32 cache: Q8_0 1.1e-2, Q6_K 1.8e-2, Q5_K_M 1.8e-2, Q4_K_M 1.7e-2, Q4_0
 * 1.1e-2, Q3_K_M 2.0e-2, Q2_K 1.7e-2 (f16 cache ≤ 2.1e-2, F32 weights with f16 cache
 * 2.3e-4); stories260k (mixed fallback types) 4.2e-3 to 5.1e-3. q8_0 cache: 5.1e-3 (F32
 * weights) to 1.9e-2; q4_0 cache: 7.0e-2 to 8.7e-2 (its own rounding dominates). The
 * llama.cpp GGUF bound is level 4's (same 8-bit activations per block, ≥ 4× margin);
 * a twin from another type's weights then exceeds it when the two differ by at least
 * Q4 vs Q8 (0.12–0.30 measured), not Q5_K_M vs Q6_K (0.058). The q4_0-cache bound
 * (≈ 3× its measured error) catches only a grossly wrong kernel, and says so by its size.
 */
export const SELF_CHECK_BOUNDS = {
  'MatMulNBits accuracy_level 0': 1e-4,
  'MatMulNBits accuracy_level 4': 0.08,
  'W8A8 MatMulInteger': 1e-3,
  'llama.cpp F32': 1e-4,
  'llama.cpp GGUF': 0.08,
  'llama.cpp GGUF, q8_0 KV cache': 0.08,
  'llama.cpp GGUF, q4_0 KV cache': 0.25,
} as const;

/** The packed form a variant's graph uses, or undefined when it has no packed quantized kernel. */
export type SelfCheckForm = keyof typeof SELF_CHECK_BOUNDS;

/** What the GGUF twin computes, as the record says it. */
const GGUF_TWIN = "the GGUF's weights dequantized exactly (ggml's formulas) into fp32 onnxruntime";

/**
 * The key of this machine for stored results: CPU model and full flags, onnxruntime, arch;
 * for llama.cpp variants also node-llama-cpp's version, which with the flags fixes the
 * ggml CPU library its loader picks (recorded as machine.llamaCpp.cpuVariant).
 */
export function machineKey(backend: 'onnxruntime' | 'llama.cpp' = 'onnxruntime'): string {
  const hw = hardwareFingerprint();
  let flags = '';
  try {
    flags = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
  } catch {
    // no /proc: model and versions still separate machines
  }
  const llama = backend === 'llama.cpp' ? { llama: nodeLlamaCppVersion() } : {};
  return createHash('sha256').update(JSON.stringify({ cpu: hw.cpuModel, flags, ort: hw.onnxruntime, arch: process.arch, v: SELF_CHECK_VERSION, ...llama })).digest('hex').slice(0, 16);
}

/** Which bound applies to a variant's compression.json ops (undefined: nothing to check). */
export function selfCheckForm(ops: readonly { readonly op: string; readonly accuracy_level?: number }[]): SelfCheckForm | undefined {
  if (ops.some((o) => o.op.includes('MatMulInteger'))) return 'W8A8 MatMulInteger';
  const nbits = ops.filter((o) => o.op === 'com.microsoft.MatMulNBits');
  if (nbits.length === 0) return undefined;
  return nbits.some((o) => (o.accuracy_level ?? 0) > 0) ? 'MatMulNBits accuracy_level 4' : 'MatMulNBits accuracy_level 0';
}

interface CompressionJson {
  readonly backend?: string;
  readonly method?: string;
  readonly execution?: { readonly ops?: { op: string; accuracy_level?: number }[] };
}

function readCompression(variantDir: string): CompressionJson {
  const path = join(variantDir, 'compression.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as CompressionJson;
  } catch (e) {
    throw new InputError(`${path} is unreadable (${messageOf(e)}); fix or re-create the variant`);
  }
}

/** Reads the variant's ops from compression.json. */
export function variantOps(variantDir: string): { op: string; accuracy_level?: number }[] {
  return readCompression(variantDir).execution?.ops ?? [];
}

/** The form of the variant in `variantDir`: llama.cpp's for a GGUF variant, else from its ops (undefined: nothing to check). */
export function variantSelfCheckForm(variantDir: string): SelfCheckForm | undefined {
  const rec = readCompression(variantDir);
  if (isGgufRecord(rec)) return ggufSelfCheckPlan(rec, join(variantDir, 'compression.json')).form;
  return selfCheckForm(rec.execution?.ops ?? []);
}

function storedPath(variantDir: string): string {
  let backend: 'onnxruntime' | 'llama.cpp' = 'onnxruntime';
  try {
    if (isGgufRecord(readCompression(variantDir))) backend = 'llama.cpp';
  } catch {
    // no readable compression.json: nothing stored for it either
  }
  return join(variantDir, 'self-check', `${machineKey(backend)}.json`);
}

/** The stored result of this machine for the variant, if it was checked before. */
export function storedSelfCheck(variantDir: string): SelfCheckRecord | undefined {
  const path = storedPath(variantDir);
  if (!existsSync(path)) return undefined;
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as SelfCheckRecord;
    // A stored result is untrusted input: only a well-formed one is reused, else re-checked.
    const ok = (r.state === 'passed' || r.state === 'invalid') && typeof r.relRmsError === 'number' && typeof r.bound === 'number' && r.version === SELF_CHECK_VERSION;
    return ok ? { ...r, reused: true } : undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link selfCheckVariant}. */
export interface SelfCheckOptions {
  readonly threads?: number;
  /** False: re-run even when this machine's result is stored. */
  readonly reuse?: boolean;
  /** Tests only: import a GGUF variant's twin from this other GGUF, to show a wrong twin is refused. */
  readonly ggufTwinSource?: string;
}

/**
 * Runs the self-check of `variantDir` (or returns this machine's stored result) and
 * stores it. Undefined when the variant has no packed quantized kernel.
 */
export async function selfCheckVariant(variantDir: string, options: SelfCheckOptions = {}): Promise<SelfCheckRecord | undefined> {
  const rec = readCompression(variantDir);
  const gguf = isGgufRecord(rec);
  const plan = gguf ? ggufSelfCheckPlan(rec, join(variantDir, 'compression.json')) : undefined;
  const form = plan?.form ?? selfCheckForm(rec.execution?.ops ?? []);
  if (!form) return undefined;
  if (options.reuse !== false && options.ggufTwinSource === undefined) {
    const stored = storedSelfCheck(variantDir);
    if (stored) return stored;
  }
  const start = performance.now();
  const threads = options.threads ?? 1;
  const tmp = mkdtempSync(join(tmpdir(), 'compbench-twin-'));
  try {
    let cmp: LogitComparison;
    let twin: string;
    let llamaCpp: SelfCheckRecord['machine']['llamaCpp'];
    if (plan) {
      const r = await probeGguf(ggufFileOf(variantDir), join(tmp, 'twin'), { threads, kvCache: plan.kvCache, ...(options.ggufTwinSource ? { twinSource: options.ggufTwinSource } : {}) });
      cmp = r;
      twin = GGUF_TWIN;
      llamaCpp = { nodeLlamaCpp: r.llamaCpp.nodeLlamaCpp, release: r.llamaCpp.llamaCppRelease, cpuVariant: r.llamaCpp.cpuVariant, kvCache: plan.kvCache, twinBuildMs: Math.round(r.twinBuildMs) };
    } else {
      const m = openSurgeryModel(variantDir);
      inlineExternalData(m);
      simulatedTwin(m.model);
      writeVariant(variantDir, tmp, m.model, { externalData: m.hadExternalData });
      cmp = compareLogits((await onnxLogitsOnProbe(variantDir, threads)).logits, (await onnxLogitsOnProbe(tmp, threads)).logits);
      twin = form === 'W8A8 MatMulInteger' ? 'integer-exact fp32 emulation (DynamicQuantizeLinear kept, int products summed in fp32)' : 'dequantized fp32 weights';
    }
    const bound = testBound() ?? SELF_CHECK_BOUNDS[form];
    const hw = hardwareFingerprint();
    const record: SelfCheckRecord = {
      version: SELF_CHECK_VERSION,
      state: cmp.finite && cmp.relRms <= bound ? 'passed' : 'invalid',
      form,
      twin,
      relRmsError: cmp.finite ? cmp.relRms : Number.MAX_VALUE,
      maxAbsLogitDiff: cmp.finite ? cmp.maxAbs : Number.MAX_VALUE,
      bound,
      probe: { ...PROBE },
      machine: { key: machineKey(gguf ? 'llama.cpp' : 'onnxruntime'), cpuModel: hw.cpuModel, cpuFlags: [...hw.cpuFlags], onnxruntime: hw.onnxruntime, ...(llamaCpp ? { llamaCpp } : {}) },
      checkedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - start),
    };
    if (options.ggufTwinSource === undefined) store(variantDir, record);
    return record;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Test-only: `COMPBENCH_TEST_SELF_CHECK_BOUND` replaces every form's bound (e.g. −1 to
 * walk the refusal path on a machine whose kernels are right). Never set by configs.
 */
function testBound(): number | undefined {
  const v = process.env.COMPBENCH_TEST_SELF_CHECK_BOUND;
  return v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
}

/** One line for the terminal and the report. */
export function describeSelfCheck(r: SelfCheckRecord): string {
  const fig = `relative logit error ${r.relRmsError.toExponential(2)} (bound ${r.bound}), max |Δlogit| ${r.maxAbsLogitDiff.toExponential(2)}`;
  return r.state === 'passed' ? `self-check passed: ${r.form} vs ${r.twin}: ${fig}` : `invalid on this hardware: ${r.form} disagrees with its simulated twin on ${r.machine.cpuModel}: ${fig}`;
}

function store(variantDir: string, record: SelfCheckRecord): void {
  try {
    const path = storedPath(variantDir);
    mkdirSync(join(variantDir, 'self-check'), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(record, null, 1)}\n`);
    renameSync(tmp, path);
  } catch {
    // A read-only variant folder: the check still counts for this run; it is redone next time.
  }
}
