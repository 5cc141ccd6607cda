/** Names and settings the coordinator and the workers must agree on. */
import type { JobsOptions } from 'bullmq';

/** The BullMQ queue of shards (one per Redis database: pick the database in the URL). */
export const QUEUE_NAME = 'compbench-shards';

/** Kept a week after they finish, so re-enqueueing a finished shard (a resume) is a no-op that returns its result. */
const KEEP_S = 7 * 24 * 3600;

/**
 * Every shard job: 3 attempts with exponential backoff from 1 s. An attempt is lost to a
 * crashed processor or a stalled (killed) worker; a failure the shard itself reports (time
 * budget, NaN logits) is a result, not an attempt.
 */
export const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: KEEP_S },
  removeOnFail: { age: KEEP_S },
};

/**
 * How long a worker's lock on a job lasts without renewal, and how often workers look for
 * jobs whose lock lapsed (their worker died): BullMQ's 30 s by default. Tests shorten it
 * through COMPBENCH_TEST_QUEUE_LOCK_MS so a killed worker's job comes back in seconds.
 */
export function lockSettings(env: NodeJS.ProcessEnv = process.env): { lockDuration: number; stalledInterval: number } {
  const ms = Number(env.COMPBENCH_TEST_QUEUE_LOCK_MS ?? '');
  const lockDuration = Number.isFinite(ms) && ms >= 500 ? ms : 30_000;
  return { lockDuration, stalledInterval: lockDuration };
}
