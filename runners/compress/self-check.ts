/**
 * The self-check of a packed variant on the machine that runs it: its logits on a small
 * fixed probe against its simulated twin (twin.ts), with a bound that belongs to the
 * form. A packed kernel that computes something else on this CPU (onnxruntime's
 * saturating uint8×int8 path without VNNI, a broken build) is caught here and its
 * variant is refused, never scored. Results are kept per machine in
 * `<variant>/self-check/<machine key>.json`, so each machine checks each variant once.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../core/rng.js';
import type { SelfCheckRecord } from '../../core/run-record.js';
import { hardwareFingerprint } from '../hardware.js';
import { OnnxDecoderAdapter } from '../backends/onnxruntime/onnx-adapter.js';
import { inlineExternalData, openSurgeryModel } from './model-graph.js';
import { simulatedTwin } from './twin.js';
import { writeVariant } from './write-variant.js';

/** Bumped when the probe, the twin or the bounds change: older stored results are ignored. */
export const SELF_CHECK_VERSION = 1;

/** Probe: rows × tokens, token ids drawn from the vocabulary with this seed (fixed). */
const PROBE = { rows: 2, tokens: 32, seed: 20261207 } as const;

/**
 * Bounds on the relative RMS error of the logits, ‖packed − twin‖₂ / ‖twin‖₂, per form.
 * Measured (onnxruntime-node 1.30, CPU; README "Self-check"): MatMulNBits level 0: 0 to
 * 1e-6 (the same fp32 GEMM after dequantizing); level 4 (int8 activations per block):
 * up to 0.018 on the bundled models and stories260k; W8A8 vs its integer-exact twin:
 * ≤ 1e-6 where exact, 0.1–0.3 when the kernel saturates.
 */
export const SELF_CHECK_BOUNDS = {
  'MatMulNBits accuracy_level 0': 1e-4,
  'MatMulNBits accuracy_level 4': 0.08,
  'W8A8 MatMulInteger': 1e-3,
} as const;

/** The packed form a variant's graph uses, or undefined when it has no packed quantized kernel. */
export type SelfCheckForm = keyof typeof SELF_CHECK_BOUNDS;

/** The key of this machine for stored results: CPU model and full flags, onnxruntime, arch. */
export function machineKey(): string {
  const hw = hardwareFingerprint();
  let flags = '';
  try {
    flags = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
  } catch {
    // no /proc: model and versions still separate machines
  }
  return createHash('sha256').update(JSON.stringify({ cpu: hw.cpuModel, flags, ort: hw.onnxruntime, arch: process.arch, v: SELF_CHECK_VERSION })).digest('hex').slice(0, 16);
}

/** Which bound applies to a variant's compression.json ops (undefined: nothing to check). */
export function selfCheckForm(ops: readonly { readonly op: string; readonly accuracy_level?: number }[]): SelfCheckForm | undefined {
  if (ops.some((o) => o.op.includes('MatMulInteger'))) return 'W8A8 MatMulInteger';
  const nbits = ops.filter((o) => o.op === 'com.microsoft.MatMulNBits');
  if (nbits.length === 0) return undefined;
  return nbits.some((o) => (o.accuracy_level ?? 0) > 0) ? 'MatMulNBits accuracy_level 4' : 'MatMulNBits accuracy_level 0';
}

function storedPath(variantDir: string): string {
  return join(variantDir, 'self-check', `${machineKey()}.json`);
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

/** Reads the variant's ops from compression.json. */
export function variantOps(variantDir: string): { op: string; accuracy_level?: number }[] {
  const rec = JSON.parse(readFileSync(join(variantDir, 'compression.json'), 'utf8')) as { execution?: { ops?: { op: string; accuracy_level?: number }[] } };
  return rec.execution?.ops ?? [];
}

/**
 * Runs the self-check of `variantDir` (or returns this machine's stored result) and
 * stores it. Undefined when the variant has no packed quantized kernel.
 */
export async function selfCheckVariant(variantDir: string, options: { threads?: number; reuse?: boolean } = {}): Promise<SelfCheckRecord | undefined> {
  const form = selfCheckForm(variantOps(variantDir));
  if (!form) return undefined;
  if (options.reuse !== false) {
    const stored = storedSelfCheck(variantDir);
    if (stored) return stored;
  }
  const start = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), 'compbench-twin-'));
  try {
    const m = openSurgeryModel(variantDir);
    inlineExternalData(m);
    simulatedTwin(m.model);
    writeVariant(variantDir, tmp, m.model, { externalData: m.hadExternalData });
    const threads = options.threads ?? 1;
    const packed = await logitsOnProbe(variantDir, threads);
    const twin = await logitsOnProbe(tmp, threads);
    const { relRms, maxAbs, finite } = compare(packed, twin);
    const bound = testBound() ?? SELF_CHECK_BOUNDS[form];
    const hw = hardwareFingerprint();
    const record: SelfCheckRecord = {
      version: SELF_CHECK_VERSION,
      state: finite && relRms <= bound ? 'passed' : 'invalid',
      form,
      twin: form === 'W8A8 MatMulInteger' ? 'integer-exact fp32 emulation (DynamicQuantizeLinear kept, int products summed in fp32)' : 'dequantized fp32 weights',
      relRmsError: finite ? relRms : Number.MAX_VALUE,
      maxAbsLogitDiff: finite ? maxAbs : Number.MAX_VALUE,
      bound,
      probe: { ...PROBE },
      machine: { key: machineKey(), cpuModel: hw.cpuModel, cpuFlags: [...hw.cpuFlags], onnxruntime: hw.onnxruntime },
      checkedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - start),
    };
    store(variantDir, record);
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

async function logitsOnProbe(dir: string, threads: number): Promise<Float32Array> {
  const a = await OnnxDecoderAdapter.load(dir, { intraOpNumThreads: threads });
  try {
    const vocab = a.folder.config.vocabSize;
    const rng = createRng(PROBE.seed);
    const rows = Array.from({ length: PROBE.rows }, () => Array.from({ length: PROBE.tokens }, () => rng.int(vocab)));
    return (await a.session.forward(rows)).logits;
  } finally {
    await a.dispose();
  }
}

function compare(a: Float32Array, b: Float32Array): { relRms: number; maxAbs: number; finite: boolean } {
  let num = 0;
  let den = 0;
  let maxAbs = 0;
  let finite = a.length === b.length;
  for (let i = 0; i < a.length && finite; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) finite = false;
    const d = a[i] - b[i];
    num += d * d;
    den += b[i] * b[i];
    maxAbs = Math.max(maxAbs, Math.abs(d));
  }
  return { relRms: den > 0 ? Math.sqrt(num / den) : Math.sqrt(num), maxAbs, finite };
}
