/**
 * `compression.json`: what was done to a base model to make a variant (method, params,
 * calibration provenance, execution form and ORT ops, per-layer errors, size, parameter
 * counts, versions, base model hash). Written beside the variant's config.json.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelImpl } from './fast/kernel-set.js';
import { packagePath } from '../../core/paths.js';
import type { GridDescription, MethodId, ParamValue } from '../../kernels/index.js';
import { OnnxDataType } from '../formats/onnx/onnx-proto.js';
import { externalDataOf } from '../formats/onnx/external-data.js';
import type { OnnxModel, OnnxTensor } from '../formats/onnx/onnx-types.js';
import { int64ToNumber } from '../formats/onnx/tensor-data.js';
import type { LayerStats } from './apply-method.js';
import type { CalibrationProvenance } from './calibration-set.js';
import type { GroupingRecord } from './grid-record.js';
import type { Int8FormChoice } from './int8-form.js';
import type { ExecutionForm } from './spec.js';
import type { StructuredLayerRecord } from './structured-surgery.js';
import type { KvCacheOption } from '../backends/onnxruntime/kv-quantizer.js';
import type { GgufVariantRecord } from './gguf/gguf-variant.js';
import type { KvCacheRecord } from './kv-cache-variant.js';
import type { LlmInt8LayerRecord } from './llm-int8-surgery.js';
import type { FlapLayerRecord } from './flap-surgery.js';
import type { FairPruneRecord } from './fairprune-variant.js';
import type { RecoveryRecord } from './recovery-record.js';
import type { OpRecord, ScalingRecord } from './surgery.js';

/** Version of the compression.json layout. */
export const COMPRESSION_RECORD_VERSION = 1;

/** Parameter counts of a graph. */
export interface ParameterCounts {
  /** Weights the graph computes with: fp32 initializer elements + K·N per packed weight. */
  readonly total: number;
  /** The same, not counting exact zeros (pruning); packed codes all count. */
  readonly nonZero: number;
}

/** The contents of compression.json. */
export interface CompressionRecord {
  readonly schemaVersion: typeof COMPRESSION_RECORD_VERSION;
  readonly method: MethodId;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly execution: {
    readonly form: ExecutionForm;
    /** ORT ops and attributes of packed weights (empty: plain fp32 MatMuls). */
    readonly ops: readonly OpRecord[];
    /** MatMulNBits accuracy_level when MatMulNBits is used. */
    readonly accuracyLevel?: number;
    /** W8A8 only: MatMulInteger operand types chosen for the CPU that built it, and why. */
    readonly int8Operands?: Int8FormChoice;
    /** How AWQ/SmoothQuant input scales were folded. */
    readonly inputScalings: readonly ScalingRecord[];
    readonly note: string;
  };
  readonly calibration: CalibrationProvenance | null;
  /** rtn/gptq/awq: the grid (asymmetric, symmetric-full or symmetric-narrow) with its formulas. */
  readonly quantGrid?: GridDescription;
  /** rtn/gptq/awq/nf4: the group size and the layers whose last group is partial. */
  readonly grouping?: GroupingRecord;
  /** Kernel options that are not method params (e.g. AWQ's search sample). */
  readonly kernelOptions?: Readonly<Record<string, number>>;
  readonly compressed: { readonly weights: number; readonly includeHead: boolean; readonly embeddings: 'fp32' };
  readonly layers: readonly LayerStats[];
  readonly structured?: readonly StructuredLayerRecord[];
  readonly configPatch?: Readonly<Record<string, number>>;
  /** Bytes of onnx/ (model.onnx + external data). */
  readonly sizeBytes: number;
  readonly baseSizeBytes: number;
  readonly parameters: ParameterCounts;
  readonly baseParameters: ParameterCounts;
  readonly baseModel: { readonly dir: string; readonly sha256: string };
  readonly kernelVersion: string;
  /** gptq, awq, wanda: which implementation ran ('fast': GEMM engine; 'reference': scalar kernels). */
  readonly kernelImpl?: KernelImpl;
  /** Per-layer methods: worker threads the units ran on (1: inline); the bytes do not depend on it. */
  readonly compressWorkers?: number;
  /**
   * Wall time of the phases. Per-layer methods also split their work: `open` (hash and
   * non-finite check of the source), `kernels` (the units), `write` (surgery and the
   * variant's files); `compression` is kernels + write.
   */
  readonly timingsMs: {
    readonly calibration: number; readonly compression: number; readonly total: number;
    readonly open?: number; readonly kernels?: number; readonly write?: number;
  };
  /** Settings the backend applies when it opens the folder (kv-cache: `runtime.kvCache`). */
  readonly runtime?: { readonly kvCache: KvCacheOption | { readonly type: string } };
  /** The runtime that runs the variant when it is not onnxruntime (gguf: llama.cpp). */
  readonly backend?: 'llama.cpp';
  /** gguf: the unquantized source, llama.cpp's quantization record and the KV cache type. */
  readonly gguf?: GgufVariantRecord;
  /** llm-int8: the outlier threshold and each weight's fp32 outlier features. */
  readonly llmInt8?: { readonly threshold: number; readonly layers: readonly LlmInt8LayerRecord[] };
  /** flap: channels kept per layer (the global adaptive structure) and the compensation bias. */
  readonly flap?: readonly FlapLayerRecord[];
  /** fairprune: the suite, slices, β, both calibration sets and each weight's error on them. */
  readonly fairprune?: FairPruneRecord;
  /** A quantization-aware-recovered source model (its provenance.json): the training and whether this method packs it on the grid it trained for. */
  readonly recovery?: RecoveryRecord;
  /** kv-cache: KV bytes per token of the form next to the fp32 cache. */
  readonly kvCache?: KvCacheRecord;
}

/** Visits a stored tensor's bytes piece by piece (see visitExternalBytes). */
export type TensorPieces = (t: OnnxTensor, visit: (piece: Uint8Array) => void) => void;

/**
 * Counts parameters of a (possibly rewritten) graph; see {@link ParameterCounts}. A tensor
 * stored externally counts as all non-zero unless `piecesOf` reads it (piece by piece: a
 * streamed model's untouched weights count as they would inline).
 */
export function countParameters(model: OnnxModel, piecesOf?: TensorPieces): ParameterCounts {
  let total = 0;
  let nonZero = 0;
  for (const t of model.graph?.initializer ?? []) {
    const visit: TensorPieces | undefined = piecesOf && externalDataOf(t) ? piecesOf : t.raw_data ? (_t, f) => f(t.raw_data!) : undefined;
    const count = (t.dims ?? []).map(int64ToNumber).reduce((a, b) => a * b, 1);
    if (t.data_type === OnnxDataType.FLOAT) {
      total += count;
      let bytes = 0;
      let found = 0;
      visit?.(t, (piece) => {
        bytes += piece.length;
        // A copy when unaligned (raw_data inside the protobuf buffer).
        const v = piece.byteOffset % 4 === 0 && piece.length % 4 === 0 ? new Float32Array(piece.buffer, piece.byteOffset, piece.length / 4) : new Float32Array(new Uint8Array(piece).buffer);
        for (let i = 0; i < v.length; i++) if (v[i] !== 0) found++;
      });
      nonZero += bytes === 4 * count ? found : count;
    } else if ((t.data_type === OnnxDataType.INT8 || t.data_type === OnnxDataType.UINT8) && /\.w8a8\.B$/u.test(t.name ?? '')) {
      total += count;
      // U8U8 stores code + 128: zero is 128 there.
      const zero = t.data_type === OnnxDataType.UINT8 ? 128 : 0;
      visit?.(t, (piece) => {
        for (let i = 0; i < piece.length; i++) if (piece[i] !== zero) nonZero++;
      });
    }
  }
  for (const n of model.graph?.node ?? []) {
    if (n.op_type !== 'MatMulNBits') continue;
    const get = (a: string): number => int64ToNumber((n.attribute ?? []).find((x) => x.name === a)?.i as number);
    total += get('K') * get('N');
    nonZero += get('K') * get('N');
  }
  return { total, nonZero };
}

let cachedKernelVersion: string | undefined;

/**
 * `<package version>+<sha256 prefix of the compiled kernels>`: changes whenever a kernel
 * (kernels/ or its fast paths in runners/compress/fast/) does.
 */
export function kernelVersion(): string {
  if (cachedKernelVersion) return cachedKernelVersion;
  const here = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const dir of [join(here, '..', '..', 'kernels'), join(here, 'fast')]) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.js')).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  }
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: string };
  cachedKernelVersion = `${pkg.version ?? '0'}+kernels.${hash.digest('hex').slice(0, 12)}`;
  return cachedKernelVersion;
}
