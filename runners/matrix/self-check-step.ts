/**
 * The self-check stage: every packed variant (ONNX or llama.cpp GGUF) is checked against
 * its twin on this machine before any of its cells is scored (compress/self-check.ts). A stored
 * result of this machine is reused; the others run on the worker pool. A variant that
 * fails its check, or whose check cannot run, becomes errored: its cells are not scored
 * and the gate fails it (fail-closed).
 */
import { messageOf } from '../../core/errors.js';
import { describeSelfCheck, storedSelfCheck, variantSelfCheckForm } from '../compress/self-check.js';
import type { ResolvedRunConfig } from './config.js';
import { executeShards, type ShardJob } from '../executors/local/executor.js';
import type { SelfCheckResult, SelfCheckTask } from './shard.js';
import type { PreparedVariant } from './variant-cache.js';

/** Returns the variants with `record.selfCheck` set; invalid ones are errored. */
export async function selfCheckVariants(variants: readonly PreparedVariant[], config: ResolvedRunConfig, log: (line: string) => void): Promise<PreparedVariant[]> {
  const results = new Map<string, SelfCheckResult>();
  const jobs: ShardJob<string, SelfCheckTask>[] = [];
  for (const v of variants) {
    if (v.state !== 'ready' || v.record.executionForm !== 'packed' || results.has(v.dir)) continue;
    let form;
    try {
      form = variantSelfCheckForm(v.dir);
    } catch (e) {
      results.set(v.dir, { state: 'failed', error: `cannot read compression.json: ${messageOf(e)}`, durationMs: 0 });
      continue;
    }
    if (!form) continue;
    const stored = storedSelfCheck(v.dir);
    if (stored) results.set(v.dir, { state: 'ok', record: stored, durationMs: 0 });
    else if (!jobs.some((j) => j.key === v.dir)) jobs.push({ key: v.dir, task: { kind: 'selfcheck', variantDir: v.dir, threads: config.execution.intraOpNumThreads } });
  }
  if (jobs.length > 0) {
    log(`self-checking ${jobs.length} packed variants against their simulated twins on this machine`);
    await executeShards(jobs, { workers: config.execution.workers, log }, (job, result) => results.set(job.key, result));
  }
  return variants.map((v) => {
    const r = v.state === 'ready' ? results.get(v.dir) : undefined;
    if (!r || v.state !== 'ready') return v;
    if (r.state === 'failed') {
      log(`${v.record.id}: self-check could not run (${r.error}); the variant is not scored`);
      return { state: 'errored', plan: v.plan, record: v.record, error: `self-check could not run: ${r.error}` };
    }
    if (!r.record) return v;
    const record = { ...v.record, selfCheck: r.record };
    if (r.record.state === 'passed') {
      if (!r.record.reused) log(`${v.record.id}: ${describeSelfCheck(r.record)}`);
      return { ...v, record };
    }
    log(`${v.record.id}: ${describeSelfCheck(r.record)}; its cells are not scored`);
    return { state: 'errored', plan: v.plan, record, error: describeSelfCheck(r.record) };
  });
}
