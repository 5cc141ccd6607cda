/**
 * The llama.cpp rows of item 4: the fp32 synthetic folder the ONNX rows started from,
 * exported to an F32 GGUF (runners/import/onnx-to-gguf.ts), quantized by llama.cpp's own
 * quantizer to each type (runners/compress/gguf), each file timed alone in its own child
 * process (llama-decode-child.ts), one at a time, with the ONNX rows' prompt, steps,
 * budget and thread count.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageOf } from '../core/errors.js';
import { quantizeGguf } from '../runners/compress/gguf/quantize-gguf.js';
import { readGgufFile } from '../runners/formats/gguf/index.js';
import { exportGguf } from '../runners/import/onnx-to-gguf.js';
import type { DecodeResult } from './decode.js';
import type { LlamaDecodeChildResult } from './llama-decode-child.js';

/** The GGUF types timed by default: F32 is the export itself, the rest come from llama.cpp's quantizer. */
export const LLAMA_DECODE_TYPES = ['F32', 'Q8_0', 'Q6_K', 'Q5_K_M', 'Q4_K_M', 'Q4_0', 'Q3_K_M', 'Q2_K'] as const;

/** Context window of each llama.cpp child: room for the prompt and every step; the KV cache is allocated at this size. */
export const LLAMA_CONTEXT_TOKENS = 256;

/** What {@link llamaDecodeBenchmark} needs from the ONNX side. */
export interface LlamaDecodeSetup {
  /** The fp32 synthetic model folder (config.json, tokenizer.json, onnx/). */
  readonly fp32Folder: string;
  /** Scratch folder for the GGUF files (each quantized file is removed once timed). */
  readonly workDir: string;
  readonly steps: number;
  readonly budgetMs: number;
  readonly threads: number;
  readonly promptTokens: number;
  readonly copyGBPerS: number;
  readonly types?: readonly string[];
}

/** The rows that were measured, and one line for each type that was not. */
export interface LlamaDecodeOutcome {
  readonly results: DecodeResult[];
  readonly failures: string[];
}

/** Tensor bytes of a GGUF, and what one decode step reads: all but the token embedding table, plus one row of it. */
export function ggufReadBytes(path: string): { tensorBytes: number; perTokenBytes: number } {
  const file = readGgufFile(path);
  let tensorBytes = 0, perTokenBytes = 0;
  for (const t of file.tensors) {
    tensorBytes += t.bytes;
    // token_embd is (hidden, vocab) in ggml order: dims[1] rows, one looked up per token
    perTokenBytes += t.name === 'token_embd.weight' ? t.bytes / t.dims[1] : t.bytes;
  }
  return { tensorBytes, perTokenBytes };
}

/** Times every type; a type that fails is a line in `failures`, not a thrown error. */
export async function llamaDecodeBenchmark(setup: LlamaDecodeSetup, log: (line: string) => void): Promise<LlamaDecodeOutcome> {
  const child = join(dirname(fileURLToPath(import.meta.url)), 'llama-decode-child.js');
  const f32 = join(setup.workDir, 'synth-F32.gguf');
  const t0 = performance.now();
  await exportGguf(setup.fp32Folder, f32, { dtype: 'F32' });
  log(`  exported the fp32 folder as an F32 GGUF in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const results: DecodeResult[] = [];
  const failures: string[] = [];
  try {
    for (const type of setup.types ?? LLAMA_DECODE_TYPES) {
      const file = type === 'F32' ? f32 : join(setup.workDir, `synth-${type}.gguf`);
      try {
        let gguf: DecodeResult['gguf'] = { type, fallbacks: [], shapeLimited: [], quantizeS: 0 };
        if (type !== 'F32') {
          const rec = await quantizeGguf(f32, type, file, { threads: 1 });
          gguf = {
            type,
            fallbacks: rec.fallbacks.map((x) => `${x.tensor}: ${x.requestedType} -> ${x.fallbackType}`),
            shapeLimited: rec.shapeLimited.map((x) => `${x.tensor}: ${x.baseType} -> ${x.actualType}`),
            quantizeS: rec.wallMs / 1000,
          };
          log(`  quantized to ${type} in ${gguf.quantizeS.toFixed(1)} s (1 thread), ${rec.bitsPerWeight.file.toFixed(2)} bits/weight, ${rec.fallbacks.length} fallbacks`);
        }
        const { tensorBytes, perTokenBytes } = ggufReadBytes(file);
        const fileBytes = readGgufFile(file).fileBytes;
        const run = spawnSync(process.execPath, [child, file, String(setup.steps), String(setup.budgetMs), String(setup.threads), String(setup.promptTokens), String(LLAMA_CONTEXT_TOKENS)], { encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`child exited ${run.status}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
        const m = JSON.parse(run.stdout.trim().split('\n').pop()!) as LlamaDecodeChildResult;
        const tokensPerS = 1000 / m.medianMs;
        const weightGBPerS = (perTokenBytes * tokensPerS) / 1e9;
        results.push({
          runtime: 'llama.cpp', format: type, library: `node-llama-cpp ${m.nodeLlamaCpp} (llama.cpp release ${m.llamaCppRelease}), libggml-cpu-${m.cpuVariant}, KV cache ${m.kvCache}, context ${m.contextTokens}`,
          cpuPerWall: m.cpuPerWall,
          weightBytes: tensorBytes, fileBytes, weightBytesPerToken: perTokenBytes,
          loadMs: m.loadMs, promptTokens: m.promptTokens, prefillMs: m.prefillMs, steps: m.steps, medianMs: m.medianMs, bestMs: m.bestMs, peakRssBytes: m.peakRssBytes,
          tokensPerS, weightGBPerS, fractionOfCopyBandwidth: weightGBPerS / setup.copyGBPerS, firstTokens: m.generatedIds.slice(0, 4), gguf,
        });
        log(`  llama.cpp ${type}: ${(perTokenBytes / 1e6).toFixed(0)} MB/token, prefill ${m.promptTokens} in ${m.prefillMs.toFixed(0)} ms, ${m.medianMs.toFixed(1)} ms/token over ${m.steps} steps, ${weightGBPerS.toFixed(2)} GB/s of weights, peak RSS ${((m.peakRssBytes ?? 0) / 1e6).toFixed(0)} MB, CPU/wall ${m.cpuPerWall.toFixed(2)} (libggml-cpu-${m.cpuVariant})`);
      } catch (e) {
        failures.push(`llama.cpp decode of ${type}: ${messageOf(e)}`);
        log(`  llama.cpp ${type} failed: ${messageOf(e)}`);
      } finally {
        if (file !== f32) rmSync(file, { force: true });
      }
    }
  } finally {
    rmSync(f32, { force: true });
  }
  return { results, failures };
}
