/**
 * The plain-JSON task that crosses the worker boundary (STYLE.md principle 3): which
 * suite file and instance ids, which variant folder, and the settings. The worker loads
 * the suite and the model itself.
 */
import type { SelfCheckRecord } from '../../core/run-record.js';
import type { InstanceRecord } from '../../suites/index.js';
import type { CalibrationSpec } from '../compress/calibration-set.js';
import type { CompressSpec } from '../compress/spec.js';
import type { AgreementTask } from '../agreement/shard-agreement.js';

/** Test-only faults a task can inject (set through COMPBENCH_TEST_FAULTS, never by configs). */
export type TestFault = 'throw' | 'abort' | 'exit' | 'nan';

/** One shard of one cell (variant × suite). */
export interface ShardTask {
  readonly kind: 'shard';
  readonly variantDir: string;
  /** Absolute path of suite.json. */
  readonly suiteFile: string;
  readonly instanceIds: readonly string[];
  /** The suite's `templateVariants` id to score under (absent: its primary template). */
  readonly template?: string;
  readonly intraOpNumThreads: number;
  /** Time budget of this shard, checked between batches inside the worker. */
  readonly timeoutMs: number;
  /** Instances per batch of requests (the granularity of the time check). */
  readonly batchSize: number;
  /** Distribution agreement with the baseline (loglikelihood and rolling suites), when the cell has one. */
  readonly agreement?: AgreementTask;
  readonly testFault?: TestFault;
}

/** What a shard produced: failures are values (with the records finished before them). */
export type ShardResult =
  | { readonly state: 'ok'; readonly records: InstanceRecord[]; readonly durationMs: number; readonly openMs?: number }
  | { readonly state: 'failed'; readonly error: string; readonly records: InstanceRecord[]; readonly durationMs: number; readonly openMs?: number };

/** Compress one variant into `outDir` (a temporary folder the parent renames). */
export interface CompressTask {
  readonly kind: 'compress';
  readonly baseDir: string;
  readonly spec: CompressSpec;
  readonly outDir: string;
  readonly calibration: CalibrationSpec;
  readonly threads: number;
}

/** What a compression task produced; `inputError` marks a problem with the user's params. */
export type CompressResult =
  | { readonly state: 'ok'; readonly durationMs: number }
  | { readonly state: 'failed'; readonly error: string; readonly inputError: boolean; readonly durationMs: number };

/** Check a packed variant against its simulated twin on this machine (compress/self-check.ts). */
export interface SelfCheckTask {
  readonly kind: 'selfcheck';
  readonly variantDir: string;
  readonly threads: number;
}

/** What a self-check produced (`record` absent: nothing packed to check). */
export type SelfCheckResult =
  | { readonly state: 'ok'; readonly record?: SelfCheckRecord; readonly durationMs: number }
  | { readonly state: 'failed'; readonly error: string; readonly durationMs: number };

/** Any task a worker runs. */
export type WorkerTask = ShardTask | CompressTask | SelfCheckTask;
/** The result of a {@link WorkerTask} (by its kind). */
export type WorkerResult<T extends WorkerTask> = T extends ShardTask ? ShardResult : T extends CompressTask ? CompressResult : SelfCheckResult;
/** Any worker result. */
export type AnyWorkerResult = ShardResult | CompressResult | SelfCheckResult;

/** Splits ids into shards of at most `size`, as evenly as possible. */
export function splitShards<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [];
  const count = Math.ceil(items.length / size);
  const per = Math.ceil(items.length / count);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += per) out.push(items.slice(i, i + per));
  return out;
}

/**
 * Test-only faults from `COMPBENCH_TEST_FAULTS` (`variantId|suiteId|fault`, comma
 * separated): lets tests crash, throw in or poison one cell of a real run.
 */
export function testFaultFor(variantId: string, suiteId: string, env: string | undefined = process.env.COMPBENCH_TEST_FAULTS): TestFault | undefined {
  for (const item of (env ?? '').split(',')) {
    const [v, s, f] = item.split('|');
    if (v === variantId && s === suiteId && (f === 'throw' || f === 'abort' || f === 'exit' || f === 'nan')) return f;
  }
  return undefined;
}

/** The failure value of a task of either kind (a crash, a rejected worker). */
export function failedResult<T extends WorkerTask>(task: T, error: string): WorkerResult<T> {
  const result: AnyWorkerResult = task.kind === 'compress'
    ? { state: 'failed', error, inputError: false, durationMs: 0 }
    : task.kind === 'selfcheck' ? { state: 'failed', error, durationMs: 0 } : { state: 'failed', error, records: [], durationMs: 0 };
  return result as WorkerResult<T>;
}
