/**
 * The measuring child process: `node measure-child.js '<ChildRequest JSON>'`. It loads and
 * runs one variant only (an ONNX folder or a GGUF, opened by openModel), so its peak RSS
 * and timings are that variant's alone, and prints one {@link RESULT_MARKER} line with a {@link ChildReply}. Failures are printed as an
 * `errored` record; a crash or a hang is caught by the parent.
 */
import { InputError, messageOf } from '../../core/errors.js';
import type { MeasurementRecord } from '../../core/run-record.js';
import type { ModelAdapter } from '../../core/requests.js';
import type { LlamaCppAdapter } from '../backends/llama-cpp/llama-adapter.js';
import type { OnnxDecoderAdapter } from '../backends/onnxruntime/onnx-adapter.js';
import { locateModel, openModel } from '../backends/open-model.js';
import { RESULT_MARKER, type ChildReply, type ChildRequest } from './child-protocol.js';
import { benchmarkDecoder, benchmarkPromptIds, type BenchmarkTimings } from './decode-benchmark.js';
import { startEnergySpan, type EnergySpan } from './energy.js';
import type { ResolvedMeasureSettings } from './settings.js';
import { readPeakRssBytes, resetPeakRss } from './peak-rss.js';
import { timingStats } from './timing-stats.js';

/** Decode and prefill timings of the variant on the backend openModel picked for it. */
async function timeVariant(adapter: ModelAdapter, s: ResolvedMeasureSettings, modelDir: string): Promise<BenchmarkTimings> {
  const energy = (): EnergySpan => startEnergySpan({ executionProvider: s.executionProvider, tdpWattsPerCore: s.tdpWattsPerCore });
  const llama = locateModel(modelDir).backend === 'llama.cpp' ? (adapter as LlamaCppAdapter) : undefined;
  const onnx = llama ? undefined : (adapter as OnnxDecoderAdapter);
  const needed = s.promptTokens + s.warmupTokens + s.decodeTokens;
  const maxLength = llama?.maxLength ?? onnx!.maxLength;
  if (needed > maxLength) {
    throw new InputError(`settings.promptTokens + warmupTokens + decodeTokens = ${needed} exceeds the context window of ${modelDir} (${maxLength} tokens); lower them`);
  }
  if (onnx) return benchmarkDecoder(onnx.session, benchmarkPromptIds(onnx.folder.tokenizer, s.promptTokens), s, energy);
  // loaded only for a GGUF, as openModel loads node-llama-cpp only then
  const { benchmarkLlamaDecoder } = await import('./llama-decode-benchmark.js');
  return benchmarkLlamaDecoder(llama!, benchmarkPromptIds(llama!.tokenizer, s.promptTokens), s, energy);
}

async function measure(req: ChildRequest): Promise<MeasurementRecord> {
  const s = req.settings;
  if (s.executionProvider !== 'cpu') {
    throw new InputError(`settings.executionProvider '${s.executionProvider}' is not supported: the measured backends run on the CPU only`);
  }
  const t0 = process.hrtime.bigint();
  // the file's own graph: load time, peak RSS and prefill stay comparable with measurements
  // cached before the logits_positions gather existed (their cache key has no code version)
  const adapter = await openModel(req.modelDir, { threads: s.intraOpNumThreads, selectLogits: false });
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  try {
    const t = await timeVariant(adapter, s, req.modelDir);
    const peakRssBytes = readPeakRssBytes();
    const decode = timingStats(t.decodeMs);
    return {
      state: 'measured',
      variantId: req.variantId,
      sizeBytes: req.sizeBytes,
      peakRssBytes,
      loadMs,
      intraOpNumThreads: s.intraOpNumThreads,
      prefill: { ...timingStats(t.prefillMs), promptTokens: s.promptTokens },
      decode: { ...decode, tokens: s.decodeTokens, warmupTokens: s.warmupTokens, tokensPerS: 1000 / decode.meanMs },
      energy: t.energy,
    };
  } finally {
    await adapter.dispose?.();
  }
}

async function main(): Promise<void> {
  const reset = resetPeakRss();
  let variantId = 'unknown';
  let record: MeasurementRecord;
  try {
    const req = JSON.parse(process.argv[2] ?? '') as ChildRequest;
    variantId = req.variantId;
    record = await measure(req);
  } catch (e) {
    record = { state: 'errored', variantId, error: messageOf(e) };
  }
  const reply: ChildReply = {
    record,
    diagnostics: { peakRssReset: reset.ok, ...(reset.ok ? {} : { peakRssResetError: reset.error }), childPid: process.pid },
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(reply)}\n`, () => process.exit(0));
}

// The parent holds our stdin open and never writes: its end means the parent died, and a
// measurement nobody reads is stopped at the next await instead of running on as an orphan.
process.stdin.on('end', () => process.kill(process.pid, 'SIGKILL'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGKILL'));
process.stdin.resume();

void main();
