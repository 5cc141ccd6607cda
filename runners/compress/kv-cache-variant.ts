/**
 * The `kv-cache` method: a variant whose weights are the base model's, unchanged (onnx/
 * files hard-linked, or copied across file systems), and whose compression.json carries
 * `runtime.kvCache`, which the onnxruntime backend reads when it opens the folder and then
 * decodes every request through a quantized-then-dequantized KV cache. It is always
 * `simulated`: the cache is stored fp32, so no speed or memory figure would be the form's.
 * What the form would store is given as KV bytes per token.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { kvBytesPerToken, validateParams, type KvBytes, type ParamValue } from '../../kernels/index.js';
import { loadModelFolder } from '../model/model-folder.js';
import { resolveKvCache, type KvCacheOption } from '../backends/onnxruntime/kv-quantizer.js';
import { COMPRESSION_RECORD_VERSION, countParameters, kernelVersion, type CompressionRecord } from './manifest.js';
import { openSurgeryModel } from './model-graph.js';
import { packedUnavailable, resolveForm, type CompressSpec } from './spec.js';
import { checkOutputDir } from './write-variant.js';

/** KV bytes per token of the variant's form next to the fp32 cache it replaces (compression.json `kvCache`). */
export interface KvCacheRecord extends KvBytes {
  readonly form: 'q8_0' | 'q4_0' | 'kivi2';
  readonly fp32BytesPerToken: number;
  /** bytesPerToken / fp32BytesPerToken. */
  readonly ratio: number;
  readonly formula: string;
}

/** Builds the kv-cache variant of `modelDir` into `outDir`; returns its compression record. */
export function buildKvCacheVariant(modelDir: string, spec: CompressSpec, outDir: string): { outDir: string; record: CompressionRecord } {
  const start = performance.now();
  const out = checkOutputDir(modelDir, outDir);
  const raw = validateParams('kv-cache', spec.params ?? {}) as { type: 'q8_0' | 'q4_0' | 'kivi2'; group: number; residual: number };
  const form = resolveForm(spec, packedUnavailable('kv-cache', raw, []));
  const m = openSurgeryModel(modelDir);
  const folder = loadModelFolder(m.dir);
  const inputs = (m.model.graph?.input ?? []) as { name?: string }[];
  if (!inputs.some((i) => /^past_key_values\.\d+\.key$/u.test(i.name ?? ''))) {
    throw new InputError(`kv-cache: ${m.onnxPath} has no past_key_values inputs, so it has no KV cache to quantize; export the model with a KV cache (optimum text-generation-with-past)`);
  }
  const runtime: KvCacheOption = raw.type === 'kivi2' ? { type: 'kivi2', group: raw.group, residual: raw.residual } : { type: raw.type };
  const info = resolveKvCache(runtime, folder.config.headDim, 'kv-cache params');
  const params: Record<string, ParamValue> = { type: info.type, group: info.group, residual: info.residual };
  const bytes = kvBytesPerToken(folder.config, raw.type, { group: info.group, residual: info.residual });
  const fp32 = kvBytesPerToken(folder.config, 'fp32').bytesPerToken;
  const sizeBytes = linkFolder(m.dir, out);
  const parameters = countParameters(m.model);
  const { numLayers, numKvHeads, headDim } = folder.config;
  const record: CompressionRecord = {
    schemaVersion: COMPRESSION_RECORD_VERSION,
    method: 'kv-cache',
    params,
    execution: {
      form,
      ops: [],
      inputScalings: [],
      note: 'simulated: weights unchanged; the KV cache is quantized then dequantized to fp32 as tokens enter it (incremental decoding, every key and value read through the cache, a token\'s own included); accuracy only, speed/memory n/a (simulated)',
    },
    calibration: null,
    compressed: { weights: 0, includeHead: false, embeddings: 'fp32' },
    layers: [],
    sizeBytes,
    baseSizeBytes: sizeBytes,
    parameters,
    baseParameters: parameters,
    baseModel: { dir: m.dir, sha256: m.sha256 },
    kernelVersion: kernelVersion(),
    timingsMs: { calibration: 0, compression: 0, total: Math.round((performance.now() - start) * 10) / 10 },
    runtime: { kvCache: runtime },
    kvCache: {
      form: raw.type,
      ...bytes,
      fp32BytesPerToken: fp32,
      ratio: bytes.bytesPerToken / fp32,
      formula: `${numLayers} layers × 2 × ${numKvHeads} KV heads × ${headDim} head_dim × bytes per element (q8_0 34/32, q4_0 18/32, kivi2 1/4 + 4/group); kivi2 also holds the fp32 residual window`,
    },
  };
  writeFileSync(join(out, 'compression.json'), `${JSON.stringify(record, null, 2)}\n`);
  return { outDir: out, record };
}

/** Copies the folder's top-level files and hard-links onnx/ (a copy where linking fails); returns the bytes of onnx/. */
function linkFolder(src: string, out: string): number {
  try {
    mkdirSync(join(out, 'onnx'), { recursive: true });
    for (const name of readdirSync(src)) {
      const p = join(src, name);
      if (name !== 'compression.json' && statSync(p).isFile()) copyFileSync(p, join(out, name));
    }
    let bytes = 0;
    for (const name of readdirSync(join(src, 'onnx'))) {
      const p = join(src, 'onnx', name);
      if (!statSync(p).isFile()) continue;
      try {
        linkSync(p, join(out, 'onnx', name));
      } catch {
        copyFileSync(p, join(out, 'onnx', name));
      }
      bytes += statSync(p).size;
    }
    return bytes;
  } catch (e) {
    throw new InputError(`cannot write the variant to ${out}: ${messageOf(e)}`);
  }
}
