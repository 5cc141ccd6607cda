import ort from 'onnxruntime-node';
import type { ModelAdapter } from '../../core/requests.js';
import { OnnxDecoderAdapter } from './onnxruntime/onnx-adapter.js';

/** Which runtime answered a model's requests, as plain data for the run record. */
export type BackendInfo = LlamaCppBackendInfo | OnnxRuntimeBackendInfo;

/** The llama.cpp backend (node-llama-cpp). */
export interface LlamaCppBackendInfo {
  readonly backend: 'llama.cpp';
  /** node-llama-cpp package version. */
  readonly nodeLlamaCpp: string;
  /** llama.cpp release node-llama-cpp's binaries were built from (its `llamaCppRelease.release`). */
  readonly llamaCppRelease: string;
  /** `prebuilt` (shipped binaries) or `localBuild`. */
  readonly buildType: string;
  /** The ggml CPU library the loader picked for this CPU (`libggml-cpu-<cpuVariant>.so`). */
  readonly cpuVariant: string;
  /** ggml types of the KV cache that ran. */
  readonly kvCache: { readonly key: string; readonly value: string };
  /** Whether the context ran flash attention (needed for a quantized V cache). */
  readonly flashAttention: boolean;
  /** Threads the context was asked to use. */
  readonly threads: number;
}

/** The onnxruntime backend. */
export interface OnnxRuntimeBackendInfo {
  readonly backend: 'onnxruntime';
  /** onnxruntime-node version. */
  readonly version: string;
}

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
