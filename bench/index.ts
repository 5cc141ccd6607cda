/**
 * `npm run bench`: scoring throughput, harness overhead, worker scaling, memory bandwidth and
 * quantization kernels, measured in one run; writes bench/results.json and bench/results.md.
 *
 *   node dist/bench/index.js [--quick] [--only decode|kernels|compress|scoring-cases|matrix] [--out DIR]
 *
 * --quick: a 2048×2048 kernel layer instead of 4096×4096 and fewer scoring requests.
 * --only decode: memory bandwidth and the decode item alone (the report then has only those).
 * --only kernels: memory bandwidth and the quantization kernels alone.
 * --only compress: memory bandwidth and end-to-end compression of a synth model alone
 *   (TinyLlama-1.1B's shape, 4.4 GB fp32, about 30+ minutes; --quick: hidden 1024, 8 layers),
 *   then GPTQ with 1 and 2 compression workers on a smaller synth model (bench/compress-workers.ts).
 * --only compress-e2e: memory bandwidth and the end-to-end item alone (as in --only compress).
 *   Without --only, the end-to-end item runs at the --quick shape (the 1.1B model is opt-in).
 * --only matrix: memory bandwidth, the scoring comparison, harness overhead, worker scaling and
 *   the two-process ceiling alone (the items a full run starts with).
 * --only scoring-cases: memory bandwidth and the scoring cases alone (zero-shot, 5-shot, long-context
 *   and real-vocabulary multiple choice: compbench vs transformers.js vs raw onnxruntime; scoring-cases.ts).
 * Without --only, the queue executor's bench (bench/queue-executor.ts, also `npm run bench:queue`) runs last.
 */
import { hardwareFingerprint } from '../runners/hardware.js';
import { packagePath } from '../core/paths.js';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { fastestOf, timeInProcess, timeMatrix } from './harness.js';
import { bundledSuiteIds } from '../runners/matrix/index.js';
import { kernelSpeed } from './kernel-speed.js';
import { CHOICES_PER_QUESTION, multipleChoiceRequests } from './mc-requests.js';
import { copyBandwidthGBPerS } from './memory-bandwidth.js';
import { DECODE_MODEL, decodeBenchmark, type DecodeResult } from './decode.js';
import { messageOf } from '../core/errors.js';
import { resultsMarkdown, writeResults, type BenchResults } from './report.js';
import { scoringBenchmark } from './scoring.js';
import { parallelCeiling } from './parallel-ceiling.js';
import { compressE2e, E2E_1B, type CompressE2e } from './compress-e2e.js';
import { scoringCases, type ScoringCases } from './scoring-cases.js';
import { compressWorkersBench, type CompressWorkers } from './compress-workers.js';

type EarlyItems = Pick<BenchResults, 'scoring' | 'harness' | 'scaling'>;

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
const onlyValues = ['decode', 'kernels', 'compress', 'compress-e2e', 'scoring-cases', 'matrix'] as const;
if (only !== undefined && !(onlyValues as readonly string[]).includes(only)) {
  console.error(`compbench: --only must be followed by 'decode', 'kernels', 'compress', 'compress-e2e', 'scoring-cases' or 'matrix' (got ${JSON.stringify(only)})`);
  process.exit(2);
}
const all = only === undefined;
const outAt = argv.indexOf('--out');
const outDir = outAt >= 0 && argv[outAt + 1] ? argv[outAt + 1] : packagePath('bench');
const teacher = packagePath('datasets', 'models', 'teacher');
const startedAt = new Date().toISOString();
// other processes on a shared machine slow every figure: the report says how busy it was
const loadBefore = loadavg();
const t0 = performance.now();
const log = (line: string): void => console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);

let measured: EarlyItems = {};
if (all || only === 'matrix') measured = await everythingButDecode();

log('memory bandwidth');
const bandwidth = copyBandwidthGBPerS();
const stack = quick
  ? { hidden: 1024, layers: 4, intermediate: 2816, heads: 16, kvHeads: 16, vocab: 32000, maxPositions: 2048, seed: 0 }
  : { hidden: 2048, layers: 8, intermediate: 5632, heads: 32, kvHeads: 32, vocab: 32000, maxPositions: 2048, seed: 0 };
const loadAtDecode = loadavg();
const notReached: string[] = [];
let decode: DecodeResult[] | undefined;
if (all || only === 'decode') decode = await runDecode();

let cases: ScoringCases | undefined;
if (all || only === 'scoring-cases') {
  const outcome = await scoringCases(quick, log);
  cases = outcome.result;
  notReached.push(...outcome.failures);
}

const size = quick ? 2048 : 4096;
let kernels: ReturnType<typeof kernelSpeed> | undefined;
if (all || only === 'kernels') {
  log(`kernels: ${size}×${size}`);
  kernels = kernelSpeed(size, 512);
}

let e2e: CompressE2e | undefined;
if (all || only === 'compress' || only === 'compress-e2e') {
  const e2eShape = quick || all ? { hidden: 1024, layers: 8 } : E2E_1B;
  log(`end-to-end compression: synth hidden ${e2eShape.hidden}, ${e2eShape.layers} layers`);
  try {
    e2e = compressE2e(e2eShape, log);
  } catch (e) {
    notReached.push(`end-to-end compression: ${messageOf(e)}`);
  }
}
let workers: CompressWorkers | undefined;
if (all || only === 'compress') {
  log('compression workers: gptq with 1 and 2 workers, alternately');
  try {
    workers = compressWorkersBench(log, quick ? 2 : 3);
  } catch (e) {
    notReached.push(`compression workers: ${messageOf(e)}`);
  }
}

const results: BenchResults = {
  startedAt,
  durationS: (performance.now() - t0) / 1000,
  quick,
  hardware: hardwareFingerprint(),
  ...(only ? { only: only as NonNullable<BenchResults['only']> } : {}),
  loadAverage: { start: loadBefore, decodeStart: loadAtDecode, end: loadavg() },
  ...measured,
  memoryBandwidth: bandwidth,
  ...(kernels ? { kernels: { header: kernels.header, notes: kernels.notes, results: kernels.kernels } } : {}),
  ...(e2e ? { compressE2e: e2e } : {}),
  ...(cases ? { scoringCases: cases } : {}),
  ...(workers ? { compressWorkers: workers } : {}),
  ...(decode ? { decode: { model: DECODE_MODEL, shape: stack, intraOpNumThreads: 1, results: decode } } : {}),
  notReached,
};
writeResults(results, join(outDir, 'results.json'), join(outDir, 'results.md'));
console.log(resultsMarkdown(results));
// The queue executor against the local one (issue 16): its own table, printed after the report.
if (all) await import('./queue-executor.js');

/** The decode item; a failure (e.g. out of memory at a large --hidden) is noted, not thrown, so the figures above stay. */
async function runDecode(): Promise<DecodeResult[] | undefined> {
  log(`decode: random-weight Llama h ${stack.hidden} × ${stack.layers} layers (I ${stack.intermediate}, ${stack.heads} heads, vocab ${stack.vocab}), batch 1 with KV cache, 1 thread`);
  try {
    const outcome = await decodeBenchmark(stack, quick ? 30 : 20, bandwidth.copyGBPerS, log);
    notReached.push(...outcome.failures);
    return outcome.results;
  } catch (e) {
    log(`decode failed: ${messageOf(e)}`);
    notReached.push(`decode benchmark failed: ${messageOf(e)}`);
    return undefined;
  }
}

/** Items 1–3 and the parallel ceiling: scoring, harness overhead, worker scaling. */
async function everythingButDecode(): Promise<EarlyItems> {
  const questions = quick ? 100 : 300;
  log(`scoring: ${questions} questions × ${CHOICES_PER_QUESTION} choices`);
  const scores = await scoringBenchmark(teacher, multipleChoiceRequests(questions));
  for (const s of scores) log(`  ${s.name}: ${s.requestsPerS.toFixed(1)} requests/s`);

  // every bundled suite on the teacher (8 cells): big enough that fixed costs (worker start,
  // session load) do not decide the ratios; one small cell as well, where they do
  const allSuites = bundledSuiteIds();
  const cell = ['fairness-people'];
  const repeats = 2;
  log(`harness + scaling: teacher × ${allSuites.length} suites, fastest of ${repeats}`);
  const one = await fastestOf(repeats, () => timeMatrix('matrix 1 worker × 1 thread', teacher, allSuites, 1, 1, 128));
  const two = await fastestOf(repeats, () => timeMatrix('matrix 2 workers × 1 thread', teacher, allSuites, 2, 1, 128));
  const twoThreads = await fastestOf(repeats, () => timeMatrix('matrix 1 worker × 2 threads', teacher, allSuites, 1, 2, 128));
  const inProcess = await fastestOf(repeats, () => timeInProcess('in-process adapter, answerRequests', teacher, allSuites, 1));
  const oneCell = await fastestOf(repeats, () => timeMatrix('matrix 1 worker × 1 thread, one cell', teacher, cell, 1, 1, 128));
  const inProcessCell = await fastestOf(repeats, () => timeInProcess('in-process adapter, one cell', teacher, cell, 1));
  for (const r of [one, two, twoThreads, inProcess, oneCell, inProcessCell]) log(`  ${r.name}: ${r.instances} instances, ${r.instancesPerS.toFixed(1)} instances/s`);

  log('parallel ceiling: the in-process loop over every suite in 1 process, then in 2 processes at once');
  const ceiling = await parallelCeiling(teacher, allSuites, 2);
  log(`  alone ${ceiling.aloneS.toFixed(2)} s, two at once ${ceiling.togetherS.toFixed(2)} s: ${ceiling.speedup.toFixed(2)}×`);

  return {
    scoring: { model: 'datasets/models/teacher', requestSet: `knowledge-closed facts as ${CHOICES_PER_QUESTION}-way multiple choice (${questions} questions)`, results: scores, speedupVsTransformers: scores[0].requestsPerS / scores[2].requestsPerS, target: 3 },
    harness: { matrix: one, inProcess, fractionOfInProcess: one.instancesPerS / inProcess.instancesPerS, fractionOfOrtFloor: one.durationS > 0 && inProcess.ortRun ? inProcess.ortRun.seconds / one.durationS : 0, oneCell: { matrix: oneCell, inProcess: inProcessCell, fractionOfInProcess: oneCell.instancesPerS / inProcessCell.instancesPerS }, target: 0.9 },
    scaling: { results: [one, two, twoThreads], twoWorkersSpeedup: two.instancesPerS / one.instancesPerS, twoThreadsSpeedup: twoThreads.instancesPerS / one.instancesPerS, target: 1.7, ceiling },
  };
}
