/**
 * Items 2 and 3: `compbench run` (runMatrix: worker pool, shards, result cache, run record)
 * on one model × suites with measurement off, timed end to end, against the same suites
 * answered in-process by one adapter (the forwards with no matrix around them); and the
 * matrix at 1 worker × 1 thread, 2 workers × 1 thread, 1 worker × 2 threads. The
 * in-process run also records the time inside onnxruntime's run(): the raw-loop floor.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../core/paths.js';
import { runMatrix } from '../runners/matrix/index.js';
import { OnnxDecoderAdapter } from '../runners/backends/onnxruntime/onnx-adapter.js';
import { answerRequests, buildRequests, loadSuite } from '../suites/index.js';
import { installOrtRunTimer, ortRunTime, resetOrtRunTime } from './ort-run-time.js';

/** One timed configuration. */
export interface HarnessResult {
  readonly name: string;
  readonly suites: readonly string[];
  readonly workers: number;
  readonly intraOpNumThreads: number;
  readonly instances: number;
  readonly durationS: number;
  readonly instancesPerS: number;
  /** In-process runs only: seconds inside onnxruntime's run() and the number of calls. */
  readonly ortRun?: { readonly seconds: number; readonly calls: number };
}

/** The fastest of `repeats` runs of `run` (the others absorb noise from other load on the machine). */
export async function fastestOf(repeats: number, run: () => Promise<HarnessResult>): Promise<HarnessResult> {
  let best: HarnessResult | undefined;
  for (let i = 0; i < repeats; i++) {
    const r = await run();
    if (!best || r.durationS < best.durationS) best = r;
  }
  return best!;
}

/** Times `runMatrix` for `modelDir` × `suiteIds` in a fresh temp folder (no cache reuse). */
export async function timeMatrix(name: string, modelDir: string, suiteIds: readonly string[], workers: number, threads: number, shardSize: number): Promise<HarnessResult> {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-bench-'));
  try {
    const config = {
      models: [{ id: 'teacher', dir: modelDir }],
      baseline: 'teacher',
      methods: [],
      suites: suiteIds.map((s) => packagePath('suites', s)),
      measurement: { enabled: false },
      execution: { workers, intraOpNumThreads: threads, shardSize },
    };
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const t0 = performance.now();
    const result = await runMatrix({ configFile, outDir: join(dir, 'run'), resume: false, cacheDir: join(dir, 'cache') }, () => {});
    const durationS = (performance.now() - t0) / 1000;
    const instances = result.computedInstances;
    return { name, suites: suiteIds, workers, intraOpNumThreads: threads, instances, durationS, instancesPerS: instances / durationS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same suites answered in-process by one adapter (load included, like the matrix's workers). */
export async function timeInProcess(name: string, modelDir: string, suiteIds: readonly string[], threads: number): Promise<HarnessResult> {
  await installOrtRunTimer(join(modelDir, 'onnx', 'model.onnx'));
  resetOrtRunTime();
  const t0 = performance.now();
  const adapter = await OnnxDecoderAdapter.load(modelDir, { intraOpNumThreads: threads });
  let instances = 0;
  try {
    for (const id of suiteIds) {
      const items = buildRequests(loadSuite(packagePath('suites', id)));
      await answerRequests(adapter, items);
      instances += items.length;
    }
  } finally {
    await adapter.dispose();
  }
  const durationS = (performance.now() - t0) / 1000;
  return { name, suites: suiteIds, workers: 1, intraOpNumThreads: threads, instances, durationS, instancesPerS: instances / durationS, ortRun: ortRunTime() };
}
