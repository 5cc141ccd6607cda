/**
 * Variants compressed once and cached by content hash (DESIGN.md §2): base model bytes
 * + method + params + form + calibration hash + kernel version → `<cache>/variants/<hash>/`.
 * A folder is built under a temporary name and renamed, so a crash never leaves a
 * half-written variant that looks finished.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import type { BatchingRecord, CalibrationRecord, ExecutionForm, KernelSummary, KvCacheBytesRecord, VariantRecord } from '../../core/run-record.js';
import { METHODS, validateParams } from '../../kernels/index.js';
import type { CalibrationProvenance, CalibrationSpec } from '../compress/calibration-set.js';
import type { FairPruneRecord } from '../compress/fairprune-variant.js';
import { calibrationRecord, fairPruneCalibration } from './calibration-record.js';
import { BUNDLED_CORPUS_FILE, calibrationKind, calibrationWarning, suiteCalibrationText } from '../compress/calibration-text.js';
import { kernelVersion } from '../compress/manifest.js';
import type { GgufVariantRecord } from '../compress/gguf/gguf-variant.js';
import { readModelFile } from '../formats/onnx/index.js';
import { hashModelAt } from '../run/model-hash.js';
import { locateModel } from '../backends/locate-model.js';
import { rowsInteract } from '../backends/onnxruntime/session-io.js';
import { calibrationFor, type ResolvedRunConfig } from './config.js';
import type { VariantPlan } from './plan.js';

/** A variant ready to evaluate, or one that could not be built. */
export type PreparedVariant =
  | { readonly state: 'ready'; readonly plan: VariantPlan; readonly record: VariantRecord; readonly hash: string; readonly dir: string; readonly fromCache: boolean }
  | { readonly state: 'errored'; readonly plan: VariantPlan; readonly record: VariantRecord; readonly error: string };

const baseHashes = new Map<string, ReturnType<typeof hashModelAt>>();
function baseHash(dir: string): ReturnType<typeof hashModelAt> {
  let h = baseHashes.get(dir);
  if (!h) baseHashes.set(dir, (h = hashModelAt(dir)));
  return h;
}

const suiteTexts = new Map<string, string>();

/**
 * sha256 of the calibration choice (its source kind, unless the bundled corpus), text and
 * sampling, or null for methods that take none.
 */
export function calibrationKey(spec: CalibrationSpec, method: string): string | null {
  const info = METHODS[method as keyof typeof METHODS];
  if (!info.needsCalibration && !info.usesCalibration) return null;
  const kind = calibrationKind(spec);
  let text: string;
  if (kind === 'suite') {
    let h = suiteTexts.get(spec.suite!);
    if (h === undefined) suiteTexts.set(spec.suite!, (h = createHash('sha256').update(suiteCalibrationText(spec.suite!).text).digest('hex')));
    text = h;
  } else {
    const textFile = spec.textFile ?? BUNDLED_CORPUS_FILE;
    text = existsSync(textFile) ? createHash('sha256').update(readFileSync(textFile)).digest('hex') : 'bundled-corpus-generated';
  }
  // The bundled corpus keeps the key it had before sources were recorded, so existing caches stay warm.
  const choice = kind === 'bundled' ? {} : { kind };
  return createHash('sha256').update(JSON.stringify({ ...spec, textFile: undefined, suite: undefined, ...choice, text })).digest('hex');
}

/**
 * How the ONNX adapter batches the model in `dir` (the same graph check it makes when it
 * opens the model); both ways are batch-invariant (README "Batch invariance").
 */
export function batchingOf(dir: string): BatchingRecord {
  // llama.cpp evaluates each request alone on one sequence (backends/llama-cpp/loglikelihood.ts)
  if (locateModel(dir).backend === 'llama.cpp') return { rowsPerForward: 'one', invariant: true };
  return { rowsPerForward: rowsInteract(readModelFile(join(dir, 'onnx', 'model.onnx'))) ? 'one' : 'many', invariant: true };
}

/** The cache key of a variant: stable JSON of everything that changes its bytes. */
export function variantHash(plan: VariantPlan, config: ResolvedRunConfig): string {
  const base = baseHash(plan.baseDir).sha256;
  if (!plan.compress) return createHash('sha256').update(JSON.stringify({ base, method: 'none' })).digest('hex');
  const c = plan.compress;
  const params = validateParams(c.method, c.params ?? {});
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  const key = { base, method: c.method, params: sorted, form: c.form ?? null, accuracyLevel: c.accuracyLevel ?? null, includeHead: c.includeHead ?? false, int8: c.int8?.form ?? null, calibration: calibrationKey(calibrationFor(config, plan.model), c.method), kernel: kernelVersion() };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

/** Where a variant lives and whether it still has to be compressed. */
export interface VariantSlot {
  readonly plan: VariantPlan;
  readonly hash: string;
  readonly dir: string;
  /** The folder is missing from the cache: compress into `tmpDir`, then rename to `dir`. */
  readonly needsBuild: boolean;
  readonly tmpDir: string;
  /** Set when the variant is calibrated on text of another domain (runners/compress/calibration-text.ts). */
  readonly calibrationWarning?: string;
}

/** The cache slot of a variant (a model as it is lives in its own folder and needs no build). */
export function variantSlot(plan: VariantPlan, config: ResolvedRunConfig): VariantSlot {
  const hash = variantHash(plan, config);
  if (!plan.compress) return { plan, hash, dir: plan.baseDir, needsBuild: false, tmpDir: '' };
  const warning = calibrationWarning(plan.baseDir, calibrationFor(config, plan.model));
  const dir = join(config.cacheDir, 'variants', hash);
  return { plan, hash, dir, needsBuild: !existsSync(join(dir, 'compression.json')), tmpDir: `${dir}.tmp-${process.pid}`, ...(warning ? { calibrationWarning: warning } : {}) };
}

/** Clears a slot's temporary folder before a build. */
export function clearTmp(slot: VariantSlot): void {
  if (slot.tmpDir) rmSync(slot.tmpDir, { recursive: true, force: true });
}

/**
 * Renames a finished build into the cache (no-op when already there). Called as soon as
 * each variant is built, so a run killed or failing later still finds it cached.
 */
export function moveIntoCache(slot: VariantSlot): void {
  if (slot.needsBuild && existsSync(slot.tmpDir)) {
    rmSync(slot.dir, { recursive: true, force: true });
    renameSync(slot.tmpDir, slot.dir);
  }
}

/**
 * Completes a slot after its build: renames the built folder into place (a failed build
 * leaves an errored variant, or throws the InputError of bad params) and reads what
 * the run record needs from compression.json.
 */
export function finishVariant(slot: VariantSlot, build?: { readonly error: string; readonly inputError: boolean }): PreparedVariant {
  const { plan } = slot;
  const common = {
    id: plan.id, model: plan.model, ...(plan.distilledFrom ? { distilledFrom: plan.distilledFrom } : {}), ...(plan.recoveredFrom ? { recoveredFrom: plan.recoveredFrom } : {}), ...(plan.comparedTo ? { comparedTo: plan.comparedTo } : {}),
  };
  if (!plan.compress) {
    const base = baseHash(plan.baseDir);
    const record: VariantRecord = { ...common, method: 'none', params: {}, executionForm: 'reference', dir: plan.baseDir, modelSha256: base.sha256, sizeBytes: base.sizeBytes, files: base.files, batching: batchingOf(plan.baseDir) };
    return { state: 'ready', plan, record, hash: slot.hash, dir: plan.baseDir, fromCache: true };
  }
  if (build) {
    clearTmp(slot);
    if (build.inputError) throw new InputError(`variant ${plan.id}: ${build.error}`);
    const record: VariantRecord = { ...common, method: plan.compress.method, params: plan.compress.params ?? {}, executionForm: plan.compress.form ?? 'simulated', dir: '', modelSha256: '', sizeBytes: 0 };
    return { state: 'errored', plan, record, error: `compression failed: ${build.error}` };
  }
  moveIntoCache(slot);
  const manifest = JSON.parse(readFileSync(join(slot.dir, 'compression.json'), 'utf8')) as {
    method: string;
    params: Record<string, unknown>;
    calibration?: CalibrationProvenance | null;
    execution: { form: ExecutionForm; ops?: { op: string }[]; accuracyLevel?: number; int8Operands?: { form: string; reason: string } };
    kvCache?: KvCacheBytesRecord;
    gguf?: GgufVariantRecord;
    fairprune?: FairPruneRecord;
  };
  const files = hashModelAt(slot.dir);
  const record: VariantRecord = {
    ...common,
    method: manifest.method,
    params: manifest.params,
    executionForm: manifest.execution.form,
    dir: slot.dir,
    modelSha256: files.sha256,
    sizeBytes: files.sizeBytes,
    files: files.files,
    batching: batchingOf(slot.dir),
    ...(manifest.execution.form === 'packed' ? { kernels: manifest.gguf ? ggufKernelSummary(manifest.gguf) : kernelSummary(manifest.execution) } : {}),
    ...(manifest.calibration ? { calibration: calibrationRecord(manifest.calibration, slot.calibrationWarning) } : {}),
    ...(!manifest.calibration && manifest.fairprune ? { calibration: fairPruneCalibration(manifest.fairprune) } : {}),
    ...(manifest.kvCache ? { kvCache: kvBytesRecord(manifest.kvCache) } : {}),
    ...(manifest.gguf && manifest.gguf.kvCache.type !== 'f32' ? { kvCache: { form: manifest.gguf.kvCache.type, bytesPerToken: manifest.gguf.kvCache.bytesPerToken, fp32BytesPerToken: manifest.gguf.kvCache.f32BytesPerToken, residualWindowBytes: 0 } } : {}),
  };
  return { state: 'ready', plan, record, hash: slot.hash, dir: slot.dir, fromCache: !slot.needsBuild };
}

/** The KV bytes of compression.json's `kvCache`, for the run record. */
function kvBytesRecord(k: KvCacheBytesRecord): KvCacheBytesRecord {
  return { form: k.form, bytesPerToken: k.bytesPerToken, fp32BytesPerToken: k.fp32BytesPerToken, residualWindowBytes: k.residualWindowBytes };
}

/** A GGUF variant's kernels: the ggml types its weights hold (llama.cpp's CPU kernels) and its KV cache. */
function ggufKernelSummary(g: GgufVariantRecord): KernelSummary {
  const types = g.quantization ? [...new Set(g.quantization.tensors.filter((t) => t.dims.length > 1).map((t) => t.actualType))] : ['F32'];
  const kv = g.kvCache.type === 'f32' ? '' : ` (KV cache ${g.kvCache.type})`;
  return { ops: types.map((t) => `llama.cpp ggml ${t}${kv}`) };
}

/** The packed kernels of a variant, for the run record. */
function kernelSummary(e: { ops?: { op: string }[]; accuracyLevel?: number; int8Operands?: { form: string; reason: string } }): KernelSummary {
  const ops = [...new Set((e.ops ?? []).map((o) => o.op))];
  return {
    ops: ops.length > 0 ? ops : ['fp32 MatMul (smaller matrices)'],
    ...(e.accuracyLevel !== undefined ? { accuracyLevel: e.accuracyLevel } : {}),
    ...(e.int8Operands ? { int8Operands: e.int8Operands.form, int8Reason: e.int8Operands.reason } : {}),
  };
}
