/**
 * The compression stage: every variant missing from the cache is compressed on the
 * worker pool (several at once, each in its own worker, crash-isolated like shards),
 * then moved into the cache; cached variants cost only a hash of their files.
 */
import { calibrationFor, type ResolvedRunConfig } from './config.js';
import { executeShards, type ShardJob } from '../executors/local/executor.js';
import type { VariantPlan } from './plan.js';
import type { CompressTask } from './shard.js';
import { clearTmp, finishVariant, moveIntoCache, variantSlot, type PreparedVariant, type VariantSlot } from './variant-cache.js';

/** Prepares every variant in plan order; bad params are InputErrors, other build failures errored variants. */
export async function buildVariants(plans: readonly VariantPlan[], config: ResolvedRunConfig, log: (line: string) => void): Promise<PreparedVariant[]> {
  const slots = plans.map((p) => variantSlot(p, config));
  const jobs: ShardJob<VariantSlot, CompressTask>[] = [];
  const seen = new Set<string>();
  for (const slot of slots) {
    // Two ids for the same bytes (e.g. two models that are one file) are built once.
    if (!slot.needsBuild || !slot.plan.compress || seen.has(slot.hash)) continue;
    seen.add(slot.hash);
    clearTmp(slot);
    jobs.push({
      key: slot,
      task: { kind: 'compress', baseDir: slot.plan.baseDir, spec: slot.plan.compress, outDir: slot.tmpDir, calibration: calibrationFor(config, slot.plan.model), threads: config.execution.intraOpNumThreads },
    });
  }
  const failures = new Map<string, { error: string; inputError: boolean }>();
  if (jobs.length > 0) {
    log(`compressing ${jobs.length} of ${plans.length} variants (the others are cached or uncompressed)`);
    await executeShards(jobs, { workers: config.execution.workers, log }, (job, result) => {
      if (result.state === 'failed') failures.set(job.key.hash, result);
      else {
        moveIntoCache(job.key);
        log(`compressed ${job.key.plan.id} in ${(result.durationMs / 1000).toFixed(1)} s`);
      }
    });
  }
  return slots.map((slot) => finishVariant(slot, failures.get(slot.hash)));
}
