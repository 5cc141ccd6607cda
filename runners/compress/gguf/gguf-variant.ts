/**
 * The `gguf` method: a variant folder holding `model.gguf`, quantized by llama.cpp itself
 * (quantize-gguf.ts) from an F32 GGUF — the base model's own when it is a GGUF, else its
 * ONNX weights exported by runners/import/onnx-to-gguf.ts — and run packed by llama.cpp.
 * A KV cache type other than f32 is carried as `runtime.kvCache`; llama.cpp stores that
 * cache quantized, so it is packed too. The tokenizer.json of an ONNX base is copied beside
 * the file, so opening the variant checks llama.cpp's tokenization against it.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../core/errors.js';
import { kvBytesPerToken, validateParams, type ParamValue } from '../../../kernels/index.js';
import { locateModel } from '../../backends/open-model.js';
import { ggufNumber, readGgufFile, type GgufFile } from '../../formats/gguf/index.js';
import { exportGguf, type ExportRecord } from '../../import/onnx-to-gguf.js';
import type { CalibrationSpec } from '../calibration-set.js';
import { COMPRESSION_RECORD_VERSION, kernelVersion, type CompressionRecord } from '../manifest.js';
import type { CompressSpec } from '../spec.js';
import { checkOutputDir } from '../write-variant.js';
import { importanceMatrixForGguf, importanceMatrixForOnnxModel } from './onnx-importance-matrix.js';
import type { GgufQuantRecord } from './quant-record.js';
import { quantizeGguf, sha256File } from './quantize-gguf.js';

/** The file name of a GGUF variant's weights. */
export const GGUF_VARIANT_FILE = 'model.gguf';

/** What compression.json says about a GGUF variant beyond the common fields. */
export interface GgufVariantRecord {
  /** The unquantized GGUF the quantizer read: exported from ONNX, or the base file itself. */
  readonly source: { readonly kind: 'exported' | 'base-file'; readonly path: string; readonly export?: ExportRecord };
  /** llama.cpp's record of the quantization (absent for F32: the export is the variant). */
  readonly quantization?: GgufQuantRecord;
  /** KV cache type llama.cpp runs the variant with, and its bytes per token. */
  readonly kvCache: { readonly type: string; readonly bytesPerToken: number; readonly f32BytesPerToken: number };
}

/** Options of {@link buildGgufVariant}. */
export interface GgufVariantOptions {
  readonly calibration?: CalibrationSpec;
  readonly threads?: number;
}

/** KV geometry from a llama-architecture GGUF's metadata. */
export function kvGeometry(file: GgufFile): { numLayers: number; numKvHeads: number; headDim: number } {
  const arch = (file.metadata.get('general.architecture') as string | undefined) ?? 'llama';
  const num = (key: string): number | undefined => ggufNumber(file, `${arch}.${key}`);
  const numLayers = num('block_count');
  const heads = num('attention.head_count');
  const embedding = num('embedding_length');
  if (numLayers === undefined || heads === undefined || embedding === undefined) {
    throw new InputError(`${file.path}: ${arch}.block_count, attention.head_count and embedding_length are required; re-export the GGUF with llama.cpp's converter`);
  }
  return { numLayers, numKvHeads: num('attention.head_count_kv') ?? heads, headDim: num('attention.key_length') ?? embedding / heads };
}

/** Builds the gguf variant of the model at `modelPath` into `outDir`; returns its compression record. */
export async function buildGgufVariant(modelPath: string, spec: CompressSpec, outDir: string, options: GgufVariantOptions = {}): Promise<{ outDir: string; record: CompressionRecord }> {
  const start = performance.now();
  const params = validateParams('gguf', spec.params ?? {}) as { type: string; imatrix: boolean; kvCache: 'f32' | 'f16' | 'q8_0' | 'q4_0' };
  if (spec.form === 'simulated') throw new InputError('gguf: llama.cpp runs its types packed; there is no simulated form (remove "form")');
  const where = locateModel(modelPath);
  const out = checkOutputDir(where.backend === 'onnxruntime' ? where.dir : modelPath, outDir);
  mkdirSync(out, { recursive: true });
  const target = join(out, GGUF_VARIANT_FILE);
  const scratch = join(out, '.source-f32.gguf');
  let source: GgufVariantRecord['source'];
  let baseSizeBytes: number;
  let baseSha256: string;
  const calStart = performance.now();
  let calibrationMs = 0;
  try {
    if (where.backend === 'llama.cpp') {
      source = { kind: 'base-file', path: where.ggufPath };
      baseSizeBytes = statSync(where.ggufPath).size;
      baseSha256 = await sha256File(where.ggufPath);
    } else {
      const exported = await exportGguf(where.dir, scratch, { dtype: 'F32' });
      source = { kind: 'exported', path: scratch, export: exported };
      for (const name of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'config.json', 'generation_config.json']) {
        if (existsSync(join(where.dir, name))) copyFileSync(join(where.dir, name), join(out, name));
      }
      baseSizeBytes = onnxBytes(where.dir);
      baseSha256 = await sha256File(join(where.dir, 'onnx', 'model.onnx'));
    }
    let quantization: GgufQuantRecord | undefined;
    if (params.type === 'F32') {
      if (source.kind === 'exported') renameSync(scratch, target);
      else copyFileSync(source.path, target);
    } else {
      const imatrixStart = performance.now();
      const imatrix = !params.imatrix
        ? undefined
        : where.backend === 'onnxruntime'
          ? await importanceMatrixForOnnxModel(where.dir, { calibration: options.calibration, threads: options.threads })
          : await importanceMatrixForGguf(where.ggufPath, undefined, { calibration: options.calibration, threads: options.threads });
      calibrationMs = performance.now() - imatrixStart;
      quantization = await quantizeGguf(source.path, params.type, target, { imatrix, threads: options.threads ?? 1 });
    }
    const file = readGgufFile(target);
    const geometry = kvGeometry(file);
    const kvForm = params.kvCache === 'f32' ? 'fp32' : params.kvCache;
    const gguf: GgufVariantRecord = {
      source: source.kind === 'exported' ? { ...source, path: 'removed after quantization (exported from the ONNX base)' } : source,
      ...(quantization ? { quantization } : {}),
      kvCache: { type: params.kvCache, bytesPerToken: kvBytesPerToken(geometry, kvForm as 'fp32').bytesPerToken, f32BytesPerToken: kvBytesPerToken(geometry, 'fp32').bytesPerToken },
    };
    const parameters = quantization?.parameters ?? file.tensors.reduce((a, t) => a + t.dims.reduce((x, y) => x * y, 1), 0);
    const record: CompressionRecord = {
      schemaVersion: COMPRESSION_RECORD_VERSION,
      method: 'gguf',
      params: params as Record<string, ParamValue>,
      execution: {
        form: 'packed',
        ops: [],
        inputScalings: [],
        note: `packed: ${params.type === 'F32' ? 'F32 weights' : `llama.cpp ${params.type} weights`} executed by llama.cpp's ggml CPU kernels${params.kvCache === 'f32' ? '' : `, KV cache stored ${params.kvCache} (flash attention)`}`,
      },
      calibration: null,
      compressed: { weights: quantization ? quantization.tensors.filter((t) => t.actualType !== t.sourceType).length : 0, includeHead: quantization?.tensors.some((t) => t.name === 'output.weight' && t.actualType !== t.sourceType) ?? false, embeddings: 'fp32' },
      layers: [],
      sizeBytes: statSync(target).size,
      baseSizeBytes,
      parameters: { total: parameters, nonZero: parameters },
      baseParameters: { total: parameters, nonZero: parameters },
      baseModel: { dir: where.backend === 'onnxruntime' ? where.dir : where.ggufPath, sha256: baseSha256 },
      kernelVersion: kernelVersion(),
      timingsMs: { calibration: round(calibrationMs), compression: round(performance.now() - calStart - calibrationMs), total: round(performance.now() - start) },
      backend: 'llama.cpp',
      gguf,
      ...(params.kvCache === 'f32' ? {} : { runtime: { kvCache: { type: params.kvCache } } }),
    };
    writeFileSync(join(out, 'compression.json'), `${JSON.stringify(record, null, 2)}\n`);
    return { outDir: out, record };
  } finally {
    rmSync(scratch, { force: true });
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function onnxBytes(dir: string): number {
  const onnx = join(dir, 'onnx');
  return readdirSync(onnx).reduce((a, f) => a + (statSync(join(onnx, f)).isFile() ? statSync(join(onnx, f)).size : 0), 0);
}
