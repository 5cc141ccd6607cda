/**
 * The one place that decides which runtime runs a model (DESIGN.md §11), as
 * transformers.js' backends/onnx.js does: nothing else in compbench knows.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import type { ModelAdapter } from '../../core/requests.js';
import { kvCacheSetup, type KvCacheType } from './llama-cpp/kv-cache-type.js';
import type { KvCacheOption } from './onnxruntime/kv-quantizer.js';
import { OnnxDecoderAdapter } from './onnxruntime/onnx-adapter.js';
import { locateModel } from './locate-model.js';

export { locateModel, type ModelLocation } from './locate-model.js';

/** Runtime settings a variant folder's compression.json may carry (`runtime`), passed on to the backend as they are. */
export interface RuntimeSettings {
  /**
   * KV cache form: llama.cpp runs it natively; the onnxruntime backend simulates it. A type
   * name (`q8_0`) or the kv-cache method's object (`{ type, group, residual }`).
   */
  readonly kvCache?: string | { readonly type: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Options of {@link openModel}. */
export interface OpenModelOptions {
  /** CPU threads of the model's session or context (default 1). */
  readonly threads?: number;
  /** Overrides compression.json's `runtime` (tests, measurements). */
  readonly runtime?: RuntimeSettings;
  /** ONNX: compute the LM head only where scored when the graph allows it (default true; see DecoderSession). */
  readonly selectLogits?: boolean;
}

/** compression.json's `runtime` object in folder `dir`, or undefined when the file or the field is absent. */
export function readRuntimeSettings(dir: string): RuntimeSettings | undefined {
  const path = join(dir, 'compression.json');
  if (!existsSync(path) || !statSync(dir).isDirectory()) return undefined;
  let runtime: unknown;
  try {
    runtime = (JSON.parse(readFileSync(path, 'utf8')) as { runtime?: unknown } | null)?.runtime;
  } catch (e) {
    throw new InputError(`${path} is not valid JSON (${messageOf(e)}); fix or re-create the variant`);
  }
  if (runtime === undefined) return undefined;
  if (typeof runtime !== 'object' || runtime === null || Array.isArray(runtime)) throw new InputError(`${path}: runtime must be an object such as { "kvCache": "q8_0" }`);
  return runtime as RuntimeSettings;
}

/**
 * Opens the model at `pathArg` with the backend {@link locateModel} picks. A folder's
 * compression.json `runtime` (or `options.runtime`) is passed on: for llama.cpp its
 * `kvCache` is the cache type; onnxruntime receives the object as its `runtime` option.
 */
export async function openModel(pathArg: string, options: OpenModelOptions = {}): Promise<ModelAdapter> {
  const where = locateModel(pathArg);
  const folder = resolve(pathArg);
  const runtime = options.runtime ?? readRuntimeSettings(folder);
  if (where.backend === 'llama.cpp') {
    const kv = runtime?.kvCache;
    const kvCacheType = (typeof kv === 'object' && kv !== null ? kv.type : kv) as KvCacheType | undefined;
    if (kvCacheType !== undefined) kvCacheSetup(kvCacheType, options.runtime ? 'options.runtime.kvCache' : `${join(folder, 'compression.json')} runtime.kvCache`);
    // imported on demand: node-llama-cpp costs ~0.7 s and ~44 MB of RSS, which an ONNX worker or measurement must not pay
    const { LlamaCppAdapter } = await import('./llama-cpp/llama-adapter.js');
    return LlamaCppAdapter.load(where.ggufPath, { threads: options.threads, ...(kvCacheType !== undefined ? { kvCacheType } : {}) });
  }
  // the onnxruntime adapter reads the folder's runtime.kvCache itself; an override is passed as its option
  const override = options.runtime?.kvCache;
  const kvCache = override === undefined ? undefined : typeof override === 'string' ? { type: override } : override;
  return OnnxDecoderAdapter.load(where.dir, { intraOpNumThreads: options.threads, selectLogits: options.selectLogits, ...(kvCache ? { kvCache: kvCache as KvCacheOption } : {}) });
}
