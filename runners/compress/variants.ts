/**
 * `compressModel`: model folder + spec → variant folder with compression.json. The stages
 * are plain: open → targets → params → calibration → capture → kernels → surgery → write.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { assertMethodId, calibrationNeeded, validateParams, type ParamValue } from '../../kernels/index.js';
import { externalDataOf } from '../formats/onnx/external-data.js';
import { visitExternalBytes } from '../formats/onnx/initializer-data.js';
import { loadModelFolder } from '../model/model-folder.js';
import { applyMethod, AWQ_SEARCH_SAMPLE, unitsOf, type LayerStats, type MethodResult } from './apply-method.js';
import type { LayerMethod } from './compress-unit.js';
import { recoveryRecord } from './recovery-record.js';
import { buildCalibrationSet, type CalibrationSet, type CalibrationSpec } from './calibration-set.js';
import { captureActivationsSpilled, type SpilledActivations } from './capture.js';
import { countParameters, COMPRESSION_RECORD_VERSION, kernelVersion, type CompressionRecord } from './manifest.js';
import { groupingRecord, quantGridRecord } from './grid-record.js';
import { consumers, findTargets, initializerMap, inlineExternalData, openSurgeryModel, requireTargets, weightValues, type SurgeryModel, type TargetMatMul } from './model-graph.js';
import { assertFiniteStats, assertFiniteWeights } from './finite-check.js';
import { chooseInt8Form } from './int8-form.js';
import type { KernelImpl } from './fast/kernel-set.js';
import { defaultCompressWorkers, layerPool, unitWorkingBytes } from './layer-pool.js';
import { checkAccuracyLevel, DEFAULT_ACCURACY_LEVEL, packedUnavailable, resolveForm, type CompressSpec, type ExecutionForm } from './spec.js';
import { applyStructured, type HeadConfig, type StructuredResult } from './structured-surgery.js';
import { applySurgery, type OpRecord, type ScalingRecord } from './surgery.js';
import { checkOutputDir, writeVariant } from './write-variant.js';
import { buildGgufVariant } from './gguf/gguf-variant.js';
import { buildKvCacheVariant } from './kv-cache-variant.js';
import { applyLlmInt8, type LlmInt8LayerRecord } from './llm-int8-surgery.js';
import { applyFlap, type FlapLayerRecord } from './flap-surgery.js';
import { fairPrune, type FairPruneRecord } from './fairprune-variant.js';

/** Options of {@link compressModel}. */
export interface CompressOptions {
  /** Calibration text and sampling (used by methods that take activations). */
  readonly calibration?: CalibrationSpec;
  /** Weights in onnx/model.onnx.data (default: as the source model). */
  readonly externalData?: boolean;
  /** ORT intra-op threads for the activation capture (default 1; the fast kernels always use 1, see below). */
  readonly threads?: number;
  /** GPTQ/AWQ/Wanda implementation: 'fast' (GEMM engine, default) or 'reference' (scalar kernels). */
  readonly kernels?: KernelImpl;
  /**
   * Worker threads for the per-layer methods (default: {@link defaultCompressWorkers}; 1 runs
   * them inline). The variant's bytes do not depend on it.
   */
  readonly workers?: number;
  /**
   * Gets one line per finished capture segment (`capture: …`) and per finished weight
   * (`compress: …`: index, elapsed, ETA) for the per-layer methods.
   */
  readonly progress?: (line: string) => void;
  /**
   * Read every weight into memory first, as before streaming (default false: the per-layer
   * methods read each weight from the source when its unit runs, and the writer copies the
   * untouched ones file to file). The variant's bytes are the same either way; the other
   * methods always hold the model.
   */
  readonly holdModel?: boolean;
  /** Called as each phase of a per-layer method begins: calibration, kernels, write (a benchmark reads the peak memory of each). */
  readonly phase?: (name: 'calibration' | 'kernels' | 'write') => void;
}

/** Methods that edit the graph as a whole (not per unit), on a model held in memory. */
const WHOLE_GRAPH_METHODS: ReadonlySet<string> = new Set(['structured', 'llm-int8', 'flap', 'fairprune']);

/** What {@link compressModel} returns. */
export interface CompressResult {
  readonly outDir: string;
  readonly record: CompressionRecord;
}

/** Compresses the model folder `modelDir` by `spec` into a new folder `outDir`. */
export async function compressModel(modelDir: string, spec: CompressSpec, outDir: string, options: CompressOptions = {}): Promise<CompressResult> {
  assertMethodId(spec.method);
  if (spec.method === 'gguf') return buildGgufVariant(modelDir, spec, outDir, { calibration: options.calibration, threads: options.threads });
  if (spec.method === 'kv-cache') return buildKvCacheVariant(modelDir, spec, outDir);
  const start = performance.now();
  const out = checkOutputDir(modelDir, outDir);
  const m = openSurgeryModel(modelDir);
  const folder = loadModelFolder(m.dir);
  const baseSizeBytes = onnxFolderBytes(m.dir);
  const baseParameters = countParameters(m.model);
  // Streamed: no weight is read until its unit runs (capture reads one segment's at a time).
  const streamed = !options.holdModel && !WHOLE_GRAPH_METHODS.has(spec.method);
  if (!streamed) inlineExternalData(m);
  const targets = findTargets(m.model, { includeHead: spec.includeHead });
  requireTargets(targets, m);
  const raw = spec.params ?? {};
  const params = validateParams(spec.method, raw) as Record<string, ParamValue>;
  const recovery = recoveryRecord(m.dir, spec.method, params);
  const calib: CalibrationSet | undefined = calibrationNeeded(spec.method, params)
    ? buildCalibrationSet(options.calibration ?? {}, folder.tokenizer)
    : undefined;
  if (calib) validateParams(spec.method, raw, { calibrationTokens: calib.provenance.tokens });
  const form = resolveForm(spec, packedUnavailable(spec.method, params, targets));
  const accuracyLevel = checkAccuracyLevel(spec.accuracyLevel ?? DEFAULT_ACCURACY_LEVEL);
  const int8 = spec.int8 ?? chooseInt8Form();
  assertFiniteWeights(m);
  const openMs = performance.now() - start;
  const weights = (): Map<string, Float32Array> => new Map(targets.map((t) => [t.weight, weightValues(m, t.weight)]));
  options.phase?.('calibration');
  const calStart = performance.now();
  let activations: SpilledActivations | undefined;
  if (calib) {
    const names = [...new Set(targets.map((t) => t.input))];
    activations = await captureActivationsSpilled(m, folder.config, names, calib.sequences, options.threads ?? 1, undefined, options.progress);
  }
  const calibrationMs = performance.now() - calStart;
  const kStart = performance.now();
  let layers: LayerStats[];
  let ops: OpRecord[] = [];
  let scalings: ScalingRecord[] = [];
  let structured: StructuredResult | undefined;
  let llmInt8: { threshold: number; layers: LlmInt8LayerRecord[] } | undefined;
  let flap: FlapLayerRecord[] | undefined;
  let fairprune: FairPruneRecord | undefined;
  let compressWorkers: number | undefined;
  let kernelsMs: number | undefined;
  try {
    if (spec.method === 'structured') {
      structured = applyStructured(m, targets, weights(), activations!, params as { ratio: number; target: string }, headConfig(m.dir), form);
      layers = structured.layers;
    } else if (spec.method === 'llm-int8') {
      const r = applyLlmInt8(m, targets, weights(), activations!, params.threshold as number, form, accuracyLevel);
      ({ layers, ops } = r);
      llmInt8 = { threshold: params.threshold as number, layers: r.perLayer };
    } else if (spec.method === 'flap') {
      const r = applyFlap(m, targets, weights(), activations!, params.ratio as number, form);
      ({ layers, perLayer: flap } = r);
    } else if (spec.method === 'fairprune') {
      const r = await fairPrune(m, folder.config, folder.tokenizer, targets, weights(), params, options.calibration ?? {}, options.threads ?? 1);
      ({ ops, scalings } = applySurgery(m, r.outcomes, [], accuracyLevel, int8));
      ({ layers, record: fairprune } = r);
    } else {
      // One engine thread per worker: a float64 product split across threads may sum in another
      // order, and the codes must not depend on --threads or --compress-workers.
      options.phase?.('kernels');
      compressWorkers = options.workers ?? defaultWorkers(spec.method, targets, calib?.provenance.tokens ?? 0);
      const pool = layerPool(compressWorkers, options.kernels ?? 'fast');
      let result: MethodResult;
      try {
        const lazy = { get: (name: string): Float32Array => weightValues(m, name) };
        result = await applyMethod(spec.method, params, form, { targets, weights: lazy, activations, done: layerDone(m, targets, options.progress) }, pool);
      } finally {
        await pool.close();
      }
      kernelsMs = performance.now() - kStart;
      options.phase?.('write');
      ({ ops, scalings } = applySurgery(m, result.outcomes, result.scalings, accuracyLevel, int8));
      layers = result.layers;
    }
  } finally {
    activations?.dispose();
  }
  assertFiniteStats(layers);
  const { onnxBytes } = writeVariant(m.dir, out, m.model, {
    externalData: options.externalData ?? m.hadExternalData, configPatch: structured?.configPatch, source: { onnxPath: m.onnxPath, dir: m.dir },
  });
  const compressionMs = performance.now() - kStart;
  const usesNBits = ops.some((o) => o.op === 'com.microsoft.MatMulNBits');
  const usesW8A8 = ops.some((o) => o.op !== 'com.microsoft.MatMulNBits');
  const record: CompressionRecord = {
    schemaVersion: COMPRESSION_RECORD_VERSION,
    method: spec.method,
    params,
    execution: {
      form, ops, ...(usesNBits ? { accuracyLevel } : {}), ...(usesW8A8 ? { int8Operands: int8 } : {}), inputScalings: scalings,
      note: formNote(spec.method, form),
    },
    calibration: calib?.provenance ?? null,
    ...optional('quantGrid', quantGridRecord(spec.method, params)),
    ...optional('grouping', groupingRecord(spec.method, params, targets.map((t) => t.K))),
    ...(spec.method === 'awq' ? { kernelOptions: AWQ_SEARCH_SAMPLE } : {}),
    compressed: { weights: targets.length, includeHead: spec.includeHead ?? false, embeddings: 'fp32' },
    layers,
    ...(structured ? { structured: structured.perLayer, configPatch: structured.configPatch } : {}),
    ...(llmInt8 ? { llmInt8 } : {}),
    ...(flap ? { flap } : {}),
    ...(fairprune ? { fairprune } : {}),
    ...(recovery ? { recovery } : {}),
    sizeBytes: onnxBytes,
    baseSizeBytes,
    parameters: countParameters(m.model, (t, visit) => visitExternalBytes(t, m.onnxPath, m.dir, 1 << 24, visit)),
    baseParameters,
    baseModel: { dir: m.dir, sha256: m.sha256 },
    kernelVersion: kernelVersion(),
    ...(usesCalibratedKernel(spec.method) ? { kernelImpl: options.kernels ?? 'fast' } : {}),
    ...(compressWorkers !== undefined ? { compressWorkers } : {}),
    timingsMs: {
      calibration: round(calibrationMs), compression: round(compressionMs), total: round(performance.now() - start),
      ...(kernelsMs !== undefined ? { open: round(openMs), kernels: round(kernelsMs), write: round(compressionMs - kernelsMs) } : {}),
    },
  };
  writeFileSync(join(out, 'compression.json'), `${JSON.stringify(record, null, 2)}\n`);
  return { outDir: out, record };
}

/**
 * After each weight: frees its fp32 bytes in the graph once every node reading that
 * initializer is a finished target (surgery then replaces or drops it; a weight also read
 * elsewhere, e.g. a tied embedding, is kept), and reports progress with an ETA.
 */
function layerDone(m: SurgeryModel, targets: readonly TargetMatMul[], progress?: (line: string) => void): (t: TargetMatMul) => void {
  const byName = initializerMap(m.model);
  const readers = consumers(m.model);
  const pending = new Set(targets.map((t) => t.node));
  const start = performance.now();
  let finished = 0;
  return (t) => {
    pending.delete(t.node);
    const init = byName.get(t.weight);
    const nodes = readers.get(t.weight) ?? [];
    if (init && !externalDataOf(init) && nodes.every((n) => targets.some((x) => x.node === n) && !pending.has(n))) init.raw_data = new Uint8Array(0);
    finished++;
    if (!progress) return;
    const elapsed = (performance.now() - start) / 1000;
    const eta = (elapsed / finished) * (targets.length - finished);
    progress(`compress: ${finished}/${targets.length} ${t.weight} (K ${t.K}, N ${t.N}) ${elapsed.toFixed(1)} s, ETA ${eta.toFixed(0)} s`);
  };
}

/** {@link defaultCompressWorkers} for `method`'s units over `targets` with T calibration tokens. */
function defaultWorkers(method: LayerMethod, targets: readonly TargetMatMul[], T: number): number {
  const units = unitsOf(method, targets);
  const largest = Math.max(...units.map((g) => unitWorkingBytes(g[0].K, g.reduce((a, t) => a + t.N, 0), T)));
  return defaultCompressWorkers(units.length, largest);
}

/** Methods whose kernel has a fast path (kernel-set.ts). */
function usesCalibratedKernel(method: string): boolean {
  return method === 'gptq' || method === 'awq' || method === 'wanda';
}

function optional<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Head geometry from the folder's config.json. */
function headConfig(dir: string): HeadConfig {
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, number>;
  const numHeads = cfg.num_attention_heads;
  if (!Number.isInteger(numHeads)) throw new InputError(`${join(dir, 'config.json')}: num_attention_heads is required for structured pruning`);
  const numKvHeads = Number.isInteger(cfg.num_key_value_heads) ? cfg.num_key_value_heads : numHeads;
  const headDim = Number.isInteger(cfg.head_dim) ? cfg.head_dim : cfg.hidden_size / numHeads;
  return { numHeads, numKvHeads, headDim };
}

function formNote(method: string, form: ExecutionForm): string {
  if (form === 'simulated') {
    if (method === 'flap') return 'simulated: removed FFN channels zeroed in full-size matrices, compensation bias Add; accuracy only, speed/memory n/a (simulated)';
    if (method === 'llm-int8') return 'simulated: int8 rows dequantized to fp32, outlier rows fp32; activations not rounded; accuracy only, speed/memory n/a (simulated)';
    return method === 'magnitude' || method === 'wanda' || method === 'nm' || method === 'fairprune'
      ? 'simulated: pruned weights stored as dense fp32 with zeros; accuracy only, speed/memory n/a (simulated)'
      : 'simulated: weights quantized then dequantized to fp32 in the same graph; accuracy only, speed/memory n/a (simulated)';
  }
  if (method === 'structured') return 'packed: smaller dense fp32 matrices (heads/channels removed), config.json sizes updated';
  if (method === 'flap') return 'packed: smaller dense fp32 FFN matrices (channels removed, a different number per layer), compensation bias Add after each down projection';
  if (method === 'llm-int8') return 'packed: int8 features as MatMulNBits 8-bit (per-column absmax grid) beside an fp32 MatMul on the outlier features, summed by an Add';
  if (method === 'smoothquant') return 'packed: W8A8 via DynamicQuantizeLinear + MatMulInteger; smoothing folded upstream';
  return 'packed: weights stored low-bit and executed by com.microsoft.MatMulNBits';
}

/** Bytes of the files in `dir/onnx`. */
function onnxFolderBytes(dir: string): number {
  const onnxDir = join(dir, 'onnx');
  return readdirSync(onnxDir).reduce((a, f) => a + statSync(join(onnxDir, f)).size, 0);
}
