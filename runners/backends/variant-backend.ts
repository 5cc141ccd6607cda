/**
 * Which runtime runs a variant folder, described for the run record without opening the
 * model: onnxruntime's version, or llama.cpp's release, build, the ggml CPU library this
 * machine loads and the KV cache the folder asks for. The llama.cpp instance is loaded
 * (once per process) only when a GGUF variant is described, as the workers load it.
 */
import { describeOnnxRuntime, type BackendInfo } from './backend-info.js';
import { locateModel } from './locate-model.js';
import { readRuntimeSettings } from './open-model.js';

/** The backend of the model at `path`, as the workers open it with `threads` threads. */
export async function describeVariantBackend(path: string, threads: number): Promise<BackendInfo> {
  const where = locateModel(path);
  if (where.backend === 'onnxruntime') return describeOnnxRuntime();
  const kv = readRuntimeSettings(path)?.kvCache;
  const type = typeof kv === 'object' && kv !== null ? kv.type : (kv ?? 'f32');
  const { kvCacheSetup } = await import('./llama-cpp/kv-cache-type.js');
  const { llamaInstance, loadedCpuVariant, nodeLlamaCppVersion } = await import('./llama-cpp/llama-instance.js');
  const setup = kvCacheSetup(type, `${path}: compression.json runtime.kvCache`);
  const llama = await llamaInstance();
  return {
    backend: 'llama.cpp',
    nodeLlamaCpp: nodeLlamaCppVersion(),
    llamaCppRelease: llama.llamaCppRelease.release,
    buildType: llama.buildType,
    cpuVariant: loadedCpuVariant(),
    kvCache: { key: setup.key, value: setup.value },
    flashAttention: setup.flashAttention,
    threads,
  };
}
