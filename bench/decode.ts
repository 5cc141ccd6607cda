/**
 * Item 4: batch-1 decode with the KV cache on a random-weight Llama (runners/synth) in
 * fp32, MatMulNBits 8/4/2 at accuracy_level 0 and 4, and W8A8: per-token latency,
 * tokens/s, peak RSS of a child process per format, and the weight bytes read per token ×
 * tokens/s against the machine's copy bandwidth (the batch-1 roofline: every weight byte
 * but the embedding table is read once per token; the embedding contributes one row).
 * Then the same fp32 weights on llama.cpp, per GGUF type (llama-decode.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../core/errors.js';
import { buildSynthLlama } from '../runners/synth/llama-graph.js';
import type { LlamaShape } from '../runners/synth/llama-shape.js';
import { convertModel, formatLabel, LM_HEAD_POLICY, SYNTH_FORMATS, weightBytes, withAccuracyLevel } from '../runners/synth/model-formats.js';
import { writeSynthLlamaFolder } from '../runners/synth/synth-folder.js';
import type { DecodeChildResult } from './decode-child-result.js';
import { llamaDecodeBenchmark } from './llama-decode.js';
import type { OnnxModel } from '../runners/formats/onnx/index.js';

/** One format's figures. */
export interface DecodeResult {
  readonly runtime: 'onnxruntime' | 'llama.cpp';
  /** ONNX format label, or GGUF type. */
  readonly format: string;
  /** llama.cpp rows: release, CPU library, KV cache type and context. */
  readonly library?: string;
  /** llama.cpp rows: CPU seconds over wall seconds of the timed steps (≈ 1: one thread worked). */
  readonly cpuPerWall?: number;
  /** All initializer (ONNX) or tensor (GGUF) bytes. */
  readonly weightBytes: number;
  /** model.onnx + model.onnx.data, or the .gguf file. */
  readonly fileBytes: number;
  /** Bytes one decode step must read: weightBytes less the embedding table plus one row of it. */
  readonly weightBytesPerToken: number;
  /** Session creation in the child (reads the weights from disk or the page cache). */
  readonly loadMs: number;
  readonly promptTokens: number;
  readonly prefillMs: number;
  /** Timed decode steps (after one warm-up step). */
  readonly steps: number;
  readonly medianMs: number;
  readonly bestMs: number;
  /** 1000 / medianMs. */
  readonly tokensPerS: number;
  readonly peakRssBytes: number | null;
  /** weightBytesPerToken × tokensPerS / 1e9. */
  readonly weightGBPerS: number;
  /** weightGBPerS / copy bandwidth (GB/s). */
  readonly fractionOfCopyBandwidth: number;
  /** The first greedy tokens (equal across formats only where quantization changes no argmax). */
  readonly firstTokens: readonly number[];
  /** llama.cpp rows: the quantization as llama.cpp recorded it (fallbacks: tensors whose rows did not fit the type's block). */
  readonly gguf?: { readonly type: string; readonly fallbacks: readonly string[]; readonly shapeLimited: readonly string[]; readonly quantizeS: number };
}

/** Knobs of {@link decodeBenchmark}. */
export interface DecodeOptions {
  /** ORT intra-op threads of each child (default 1: measured faster than 2 here when the other core is busy). */
  readonly intraOpNumThreads?: number;
  /** Prompt length before decoding (default 16). */
  readonly promptTokens?: number;
  /** Timed-step budget per format in ms (default 8000; slow formats stop there, after at least 3 steps). */
  readonly budgetMs?: number;
  /** GGUF types for the llama.cpp rows (default llama-decode.ts's list; empty: none). */
  readonly llamaCppTypes?: readonly string[];
}

/** Both runtimes' rows, and one line for each llama.cpp type that could not be measured. */
export interface DecodeOutcome {
  readonly results: DecodeResult[];
  readonly failures: string[];
}

/** The model, as the benchmark report names it. */
export const DECODE_MODEL = `random-weight Llama (runners/synth, KV cache), lm_head ${LM_HEAD_POLICY}`;

/** Builds the fp32 Llama once, then times every format in its own child process, one at a time: ONNX formats, then GGUF types. */
export async function decodeBenchmark(shape: LlamaShape, steps: number, copyGBPerS: number, log: (line: string) => void, options: DecodeOptions = {}): Promise<DecodeOutcome> {
  const threads = options.intraOpNumThreads ?? 1;
  const promptTokens = options.promptTokens ?? 16;
  const budgetMs = options.budgetMs ?? 8000;
  const dir = mkdtempSync(join(tmpdir(), 'compbench-synth-'));
  const child = join(dirname(fileURLToPath(import.meta.url)), 'decode-child.js');
  const embeddingBytes = 4 * shape.vocab * shape.hidden;
  try {
    const t0 = performance.now();
    let base: OnnxModel | undefined = buildSynthLlama(shape);
    log(`  built fp32 weights in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const results: DecodeResult[] = [];
    // another accuracy level reuses the packed weights of the same bit width
    let packed: { bits: number; model: OnnxModel } | undefined;
    for (const format of SYNTH_FORMATS) {
      const label = formatLabel(format);
      let model: OnnxModel;
      if (format.kind === 'nbits' && packed?.bits === format.bits) model = withAccuracyLevel(packed.model, format.accuracyLevel);
      else model = convertModel(base!, format);
      if (format.kind === 'nbits') packed = { bits: format.bits, model };
      const bytes = weightBytes(model);
      const folder = join(dir, label);
      writeSynthLlamaFolder(model, folder, shape, { format: label, lmHead: LM_HEAD_POLICY, weightBytes: bytes });
      const fileBytes = statSync(join(folder, 'onnx', 'model.onnx')).size + statSync(join(folder, 'onnx', 'model.onnx.data')).size;
      const run = spawnSync(process.execPath, [child, folder, String(steps), String(budgetMs), String(threads), String(promptTokens)], { encoding: 'utf8' });
      // the GGUF export reads the fp32 folder
      if (format.kind !== 'fp32') rmSync(folder, { recursive: true, force: true });
      if (run.status !== 0) throw new InfraError(`decode child for ${label} exited ${run.status}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      const m = JSON.parse(run.stdout.trim().split('\n').pop()!) as DecodeChildResult;
      const perToken = bytes - embeddingBytes + 4 * shape.hidden;
      const tokensPerS = 1000 / m.medianMs;
      const weightGBPerS = (perToken * tokensPerS) / 1e9;
      const { generatedIds, ...timing } = m;
      results.push({ runtime: 'onnxruntime', format: label, weightBytes: bytes, fileBytes, weightBytesPerToken: perToken, ...timing, tokensPerS, weightGBPerS, fractionOfCopyBandwidth: weightGBPerS / copyGBPerS, firstTokens: generatedIds.slice(0, 4) });
      log(`  ${label}: ${(perToken / 1e6).toFixed(0)} MB/token, prefill ${m.promptTokens} in ${m.prefillMs.toFixed(0)} ms, ${m.medianMs.toFixed(1)} ms/token over ${m.steps} steps, ${weightGBPerS.toFixed(2)} GB/s of weights, peak RSS ${((m.peakRssBytes ?? 0) / 1e6).toFixed(0)} MB`);
    }
    base = packed = undefined; // frees the fp32 weights: the export reads its own copy from disk
    const types = options.llamaCppTypes;
    if (types && types.length === 0) return { results, failures: [] };
    const llama = await llamaDecodeBenchmark({ fp32Folder: join(dir, 'fp32'), workDir: dir, steps, budgetMs, threads, promptTokens, copyGBPerS, ...(types ? { types } : {}) }, log);
    return { results: [...results, ...llama.results], failures: llama.failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
