/**
 * The measuring child process: `node measure-child.js '<ChildRequest JSON>'`. It loads and
 * runs one variant only, so its peak RSS and timings are that variant's alone, and prints
 * one {@link RESULT_MARKER} line with a {@link ChildReply}. Failures are printed as an
 * `errored` record; a crash or a hang is caught by the parent.
 */
import { InputError, messageOf } from '../../core/errors.js';
import type { MeasurementRecord } from '../../core/run-record.js';
import { OnnxDecoderAdapter } from '../backends/onnxruntime/onnx-adapter.js';
import { RESULT_MARKER, type ChildReply, type ChildRequest } from './child-protocol.js';
import { benchmarkDecoder, benchmarkPromptIds } from './decode-benchmark.js';
import { startEnergySpan } from './energy.js';
import { readPeakRssBytes, resetPeakRss } from './peak-rss.js';
import { timingStats } from './timing-stats.js';

async function measure(req: ChildRequest): Promise<MeasurementRecord> {
  const s = req.settings;
  if (s.executionProvider !== 'cpu') {
    throw new InputError(`settings.executionProvider '${s.executionProvider}' is not supported: DecoderSession runs the CPU execution provider only`);
  }
  const t0 = process.hrtime.bigint();
  const adapter = await OnnxDecoderAdapter.load(req.modelDir, { intraOpNumThreads: s.intraOpNumThreads });
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  try {
    const needed = s.promptTokens + s.warmupTokens + s.decodeTokens;
    if (needed > adapter.maxLength) {
      throw new InputError(
        `settings.promptTokens + warmupTokens + decodeTokens = ${needed} exceeds the context window of ${req.modelDir} (${adapter.maxLength} tokens); lower them`,
      );
    }
    const prompt = benchmarkPromptIds(adapter.folder.tokenizer, s.promptTokens);
    const t = await benchmarkDecoder(adapter.session, prompt, s, () =>
      startEnergySpan({ executionProvider: s.executionProvider, tdpWattsPerCore: s.tdpWattsPerCore }),
    );
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
    await adapter.dispose();
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
