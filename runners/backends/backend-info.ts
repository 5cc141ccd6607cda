import ort from 'onnxruntime-node';
import type { ModelAdapter } from '../../core/requests.js';
import type { VariantBackendRecord } from '../../core/run-record.js';
import { OnnxDecoderAdapter } from './onnxruntime/onnx-adapter.js';

/** Which runtime answered a model's requests, as plain data for the run record (`variants[].backend`). */
export type BackendInfo = VariantBackendRecord;

/** The llama.cpp backend (node-llama-cpp): release, CPU library, KV cache, flash attention, threads. */
export type LlamaCppBackendInfo = Extract<VariantBackendRecord, { readonly backend: 'llama.cpp' }>;

/** The onnxruntime backend. */
export type OnnxRuntimeBackendInfo = Extract<VariantBackendRecord, { readonly backend: 'onnxruntime' }>;

/** An adapter that can describe its runtime. */
interface Describable {
  backendInfo(): BackendInfo;
}

/**
 * The backend description of an adapter: its own `backendInfo()` when it has one (the
 * llama.cpp adapter), onnxruntime's for an {@link OnnxDecoderAdapter}, undefined for
 * anything else (the fake test model runs no runtime).
 */
export function describeBackend(adapter: ModelAdapter): BackendInfo | undefined {
  const d = adapter as Partial<Describable>;
  if (typeof d.backendInfo === 'function') return d.backendInfo();
  return adapter instanceof OnnxDecoderAdapter ? describeOnnxRuntime() : undefined;
}

/** onnxruntime's description. */
export function describeOnnxRuntime(): OnnxRuntimeBackendInfo {
  return { backend: 'onnxruntime', version: ort.env.versions?.node ?? 'unknown' };
}
