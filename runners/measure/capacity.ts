/**
 * What a variant's model file stores and what its KV cache takes (issue 24), read from the
 * files: the weights' bits per parameter (scales and zero points included) and the KV
 * bytes per 1,000 context tokens at the cache type the variant runs with.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { KvCapacityRecord, VariantBackendRecord, WeightStorageRecord } from '../../core/run-record.js';
import { kvGeometry } from '../compress/gguf/gguf-variant.js';
import { locateModel } from '../backends/locate-model.js';
import { ggmlTypeByName, readGgufFile } from '../formats/gguf/index.js';
import { readModelFile } from '../formats/onnx/index.js';
import { parseDecoderConfig } from '../model/model-config.js';
import { ggufWeightBits } from './gguf-weight-bits.js';
import { onnxWeightBits } from './onnx-weight-bits.js';

/** The KV shape that fixes cache bytes. */
export interface KvShape {
  readonly numLayers: number;
  readonly numKvHeads: number;
  readonly headDim: number;
}

/** A variant's weights and KV capacity. */
export interface VariantCapacity {
  readonly weights: WeightStorageRecord;
  readonly kvCapacity: KvCapacityRecord;
}

/** Bytes per element of a cache type: `fp32`, or a ggml type name (`F16`, `Q8_0`, …: block bytes / block size). */
export function cacheElementBytes(type: string): number {
  if (type === 'fp32') return 4;
  const ggml = ggmlTypeByName(type.toUpperCase());
  if (!ggml) throw new RangeError(`unknown KV cache type '${type}'`);
  return ggml.typeSize / ggml.blockSize;
}

/**
 * KV-cache bytes per 1,000 context tokens: layers × kv heads × head dim × (bytes per K
 * element + bytes per V element) × 1,000.
 */
export function kvBytesPer1kTokens(shape: KvShape, keyType: string, valueType: string): number {
  return shape.numLayers * shape.numKvHeads * shape.headDim * (cacheElementBytes(keyType) + cacheElementBytes(valueType)) * 1000;
}

/** The cache types a variant ran with: the ONNX backend keeps fp32 keys and values; llama.cpp records its own. */
function cacheTypes(backend: VariantBackendRecord | undefined): { readonly key: string; readonly value: string } {
  return backend?.backend === 'llama.cpp' ? backend.kvCache : { key: 'fp32', value: 'fp32' };
}

function kvRecord(shape: KvShape, backend: VariantBackendRecord | undefined): KvCapacityRecord {
  const { key, value } = cacheTypes(backend);
  const type = key === value ? key : `K ${key} / V ${value}`;
  return { numLayers: shape.numLayers, numKvHeads: shape.numKvHeads, headDim: shape.headDim, types: [{ type, bytesPer1kTokens: kvBytesPer1kTokens(shape, key, value) }] };
}

/** Reads the weights and KV shape of the model at `dir` (an ONNX folder or a GGUF). */
export function variantCapacity(dir: string, backend: VariantBackendRecord | undefined): VariantCapacity {
  const where = locateModel(dir);
  if (where.backend === 'llama.cpp') {
    const gguf = readGgufFile(where.ggufPath);
    return { weights: ggufWeightBits(gguf, relative(dir, where.ggufPath) || where.ggufPath), kvCapacity: kvRecord(kvGeometry(gguf), backend) };
  }
  const onnxPath = join(where.dir, 'onnx', 'model.onnx');
  const configPath = join(where.dir, 'config.json');
  const config = parseDecoderConfig(JSON.parse(readFileSync(configPath, 'utf8')) as unknown, configPath);
  return { weights: onnxWeightBits(readModelFile(onnxPath), 'onnx/model.onnx'), kvCapacity: kvRecord(config, backend) };
}
