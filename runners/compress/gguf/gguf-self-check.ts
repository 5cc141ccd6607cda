/**
 * The self-check of a llama.cpp (GGUF) variant: llama.cpp's logits on the fixed probe
 * against its twin, the same GGUF's weights dequantized exactly (ggml's formulas,
 * runners/formats/gguf) into an fp32 ONNX graph run by onnxruntime. Both see the same
 * token ids at positions 0…n−1 of a fresh cache, so what differs is only how each
 * computes: llama.cpp rounds the activations of a quantized matmul to 8 bits (q8_0 /
 * q8_K vec_dot) and of an F16 one to f16, hence a measured bound, not zero.
 */
import { join } from 'node:path';
import { InputError } from '../../../core/errors.js';
import type { LlamaCppBackendInfo } from '../../backends/backend-info.js';
import type { KvCacheType } from '../../backends/llama-cpp/kv-cache-type.js';
import { importGguf } from '../../import/gguf-to-onnx.js';
import { compareLogits, onnxLogitsOnProbe, type LogitComparison } from '../self-check-probe.js';
import { GGUF_VARIANT_FILE } from './gguf-variant.js';

/** The self-check forms of GGUF variants (keys of SELF_CHECK_BOUNDS). */
export type GgufSelfCheckForm = 'llama.cpp F32' | 'llama.cpp GGUF' | 'llama.cpp GGUF, q8_0 KV cache' | 'llama.cpp GGUF, q4_0 KV cache';

/** What a GGUF variant's compression.json says that decides its check. */
export interface GgufCheckPlan {
  readonly form: GgufSelfCheckForm;
  /** The KV cache type the probe runs with (the variant's own; see {@link ggufSelfCheckPlan}). */
  readonly kvCache: KvCacheType;
}

/** The fields of a GGUF variant's compression.json that decide its check. */
export interface GgufCompressionJson {
  readonly backend?: string;
  readonly method?: string;
  readonly params?: { readonly type?: string };
  readonly gguf?: { readonly quantization?: { readonly tensors?: readonly { readonly actualType?: string }[] } };
  readonly runtime?: { readonly kvCache?: string | { readonly type?: string } };
}

/** True when compression.json `rec` describes a variant that llama.cpp runs. */
export function isGgufRecord(rec: { readonly backend?: string; readonly method?: string }): boolean {
  return rec.backend === 'llama.cpp' || rec.method === 'gguf';
}

/**
 * The form and the probe's KV cache of a GGUF variant. The probe runs the cache the
 * variant is scored with: a q8_0/q4_0 cache (flash attention) under its own measured
 * bound, since its rounding is error the fp32 twin does not have. `llama.cpp F32` is F32
 * weights with an F32 cache only; an f16 cache joins `llama.cpp GGUF` (its rounding is
 * far below the 8-bit activations').
 */
export function ggufSelfCheckPlan(rec: GgufCompressionJson, file: string): GgufCheckPlan {
  const kvRaw = rec.runtime?.kvCache;
  const kv = (typeof kvRaw === 'object' && kvRaw !== null ? kvRaw.type : kvRaw) ?? 'f32';
  if (!['f32', 'f16', 'q8_0', 'q4_0'].includes(kv)) throw new InputError(`${file}: runtime.kvCache ${JSON.stringify(kv)} is not a llama.cpp cache type (f32, f16, q8_0, q4_0); rebuild the variant`);
  const types = (rec.gguf?.quantization?.tensors ?? []).map((t) => t.actualType ?? '');
  const f32 = rec.params?.type === 'F32' || (types.length > 0 && types.every((t) => t === 'F32'));
  const kvCache = kv as KvCacheType;
  if (kvCache === 'q8_0' || kvCache === 'q4_0') return { form: `llama.cpp GGUF, ${kvCache} KV cache`, kvCache };
  return { form: f32 && kvCache === 'f32' ? 'llama.cpp F32' : 'llama.cpp GGUF', kvCache };
}

/** What one GGUF probe gave. */
export interface GgufProbeResult extends LogitComparison {
  readonly llamaCpp: LlamaCppBackendInfo;
  /** Time to import the twin (dequantize and write the fp32 ONNX folder), ms. */
  readonly twinBuildMs: number;
}

/**
 * Runs the probe through llama.cpp on `ggufPath` and through the fp32 twin imported from
 * `twinSource` (default: the same file; a test passes another to show a wrong twin is
 * caught) into the empty folder `twinDir`.
 */
export async function probeGguf(ggufPath: string, twinDir: string, options: { threads: number; kvCache: KvCacheType; twinSource?: string }): Promise<GgufProbeResult> {
  const t0 = performance.now();
  await importGguf(options.twinSource ?? ggufPath, twinDir, { weights: 'fp32' });
  const twinBuildMs = performance.now() - t0;
  const twin = await onnxLogitsOnProbe(twinDir, options.threads);
  const { logits, llamaCpp } = await llamaLogits(ggufPath, twin.rows, twin.vocab, options);
  return { ...compareLogits(logits, twin.logits), llamaCpp, twinBuildMs };
}

/** The variant folder's GGUF file. */
export function ggufFileOf(variantDir: string): string {
  return join(variantDir, GGUF_VARIANT_FILE);
}

/**
 * llama.cpp's raw logits at every position of each row, each row from an empty cache.
 * // rows (R, T) -> logits (R, T, vocab); an id llama.cpp gives no logit for stays NaN
 */
async function llamaLogits(path: string, rows: readonly (readonly number[])[], vocab: number, options: { threads: number; kvCache: KvCacheType }): Promise<{ logits: Float32Array; llamaCpp: LlamaCppBackendInfo }> {
  // imported on demand, as openModel does: an ONNX-only process never loads node-llama-cpp
  const { LlamaCppAdapter } = await import('../../backends/llama-cpp/llama-adapter.js');
  const { evaluateWithLogits } = await import('../../backends/llama-cpp/next-token-logits.js');
  const a = await LlamaCppAdapter.load(path, { threads: options.threads, kvCacheType: options.kvCache });
  try {
    const T = rows[0]?.length ?? 0;
    const out = new Float32Array(rows.length * T * vocab).fill(NaN);
    for (let r = 0; r < rows.length; r++) {
      await a.sequence.clearHistory();
      const maps = await evaluateWithLogits(a.sequence, rows[r], 0);
      maps.forEach((m, t) => {
        const base = (r * T + t) * vocab;
        for (const [id, x] of m) if (id >= 0 && id < vocab) out[base + id] = x;
      });
    }
    await a.sequence.clearHistory();
    return { logits: out, llamaCpp: a.backendInfo() };
  } finally {
    await a.dispose();
  }
}
