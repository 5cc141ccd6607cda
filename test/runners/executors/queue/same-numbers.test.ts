import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord } from '../../../../core/run-record.js';
import { queueExecutor } from '../../../../runners/executors/queue/index.js';
import { parseQueueUrl } from '../../../../runners/executors/queue/connection.js';
import { QUEUE_NAME } from '../../../../runners/executors/queue/settings.js';
import { stableView } from '../../../../runners/matrix/assemble.js';
import { runMatrix, type MatrixResult } from '../../../../runners/matrix/run-matrix.js';
import { teacherDir, tempDir } from '../../fixtures.js';
import { recordSchemaProblems, writeConfig } from '../../matrix/fixtures.js';
import { hasRedisServer, startRedis, type TestRedis } from './redis-server.js';

const test = suite('runners/executors/queue: the same numbers as the local executor');
const CLI = fileURLToPath(new URL('../../../../cli.js', import.meta.url));
const quiet = (): void => {};

const teacher = teacherDir('queue executor');
const ready = teacher !== undefined && hasRedisServer('queue executor');
const cacheDir = tempDir('queue-cache');
let redis: TestRedis | undefined;
let local: MatrixResult | undefined;
let config = '';

/** Starts `compbench worker` in its own process group, so a kill -9 takes its processors too. */
function startWorker(url: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', url, '--workers', '1', '--cache-dir', cacheDir], {
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, COMPBENCH_TEST_QUEUE_LOCK_MS: '1000', ...env },
  });
  return child;
}

function stopWorker(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(-child.pid!, signal);
  });
}

/** The queued run of the same config, with the results cache emptied first (the variants stay). */
/** Shards of the config: 3 variants × (4 one-document perplexity shards + 2 knowledge shards), and the parent's 2 knowledge shards under each of knowledge-closed's 2 template variants. */
const SHARDS = 3 * (4 + 2) + 2 * 2;

function queuedRun(url: string): Promise<MatrixResult> {
  rmSync(join(cacheDir, 'results'), { recursive: true, force: true });
  return runMatrix({ configFile: config, outDir: tempDir('queue-out'), executor: queueExecutor(url), progress: false }, quiet);
}

function assertSameNumbers(queued: MatrixResult): void {
  assert.ok(local);
  assert.equal(recordSchemaProblems(queued.record), []);
  assert.is(queued.record.complete, true);
  // cell by cell (durations and the executor record are provenance), and every instance byte for byte
  assert.equal(stableView(queued.record as unknown as Record<string, unknown>).cells, stableView(local.record as unknown as Record<string, unknown>).cells);
  assert.equal(stableView(queued.record as unknown as Record<string, unknown>), stableView(local.record as unknown as Record<string, unknown>));
  assert.is(readFileSync(join(queued.outDir, 'instances.jsonl'), 'utf8'), readFileSync(join(local.outDir, 'instances.jsonl'), 'utf8'));
}

test.before(async () => {
  if (!ready) return;
  config = writeConfig({
    models: [{ id: 'teacher', dir: teacher }],
    methods: [{ method: 'rtn', bits: [8, 4], group: 32 }],
    suites: ['perplexity', 'knowledge-closed'],
    seed: 7,
    limit: 4,
    measurement: { enabled: false },
    execution: { workers: 2, shardSize: 2 },
    cacheDir,
  });
  local = await runMatrix({ configFile: config, outDir: tempDir('local-out'), progress: false }, quiet);
  redis = await startRedis();
});

test.after(async () => {
  await redis?.stop();
});

test('two worker processes: run.json equals the local run cell by cell, instances.jsonl byte for byte', async () => {
  if (!ready || !redis) return;
  assert.is(local!.record.complete, true);
  const workers = [startWorker(redis.url), startWorker(redis.url)];
  try {
    const queued = await queuedRun(redis.url);
    assertSameNumbers(queued);
    const executor = queued.record.executor!;
    assert.is(executor.kind, 'queue');
    assert.is(executor.failedJobs, 0);
    assert.is(executor.workers!.reduce((n, w) => n + w.shards, 0), SHARDS);
    assert.is(executor.workers!.reduce((n, w) => n + w.instances, 0), 3 * (4 + 4) + 2 * 4);
    assert.match(readFileSync(join(cacheDir, 'README.md'), 'utf8'), /variants\/<variant hash>\//u, 'the store names its layout');
  } finally {
    await Promise.all(workers.map((w) => stopWorker(w)));
  }
});

test('re-enqueueing finished shards is a no-op: with no worker running, the run completes from the queue', async () => {
  if (!ready || !redis) return;
  const queued = await queuedRun(redis.url);
  assertSameNumbers(queued);
  assert.is(queued.record.executor!.reusedJobs, SHARDS);
  assert.equal(queued.record.executor!.workers!.map((w) => w.shards).reduce((a, b) => a + b, 0), SHARDS, 'each result is the stored one');
  const queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(redis.url).options });
  try {
    const c = await queue.getJobCounts('completed', 'waiting', 'active', 'failed');
    assert.equal([c.completed, c.waiting, c.active, c.failed], [SHARDS, 0, 0, 0], 'no job was added twice');
  } finally {
    await queue.close();
  }
});

test('kill -9 of a worker in the middle of a shard: its job returns to the queue and the run has the same numbers', async () => {
  if (!ready || !redis) return;
  const url = redis.url.replace(/\/0$/u, '/1'); // a fresh database: no finished jobs
  // The first worker holds every job it takes for a minute, so it is surely mid-job when killed.
  const doomed = startWorker(url, { COMPBENCH_TEST_QUEUE_DELAY_MS: '60000' });
  const run = queuedRun(url);
  const queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(url).options });
  let survivor: ChildProcess | undefined;
  try {
    while ((await queue.getJobCounts('active')).active === 0) await new Promise((r) => setTimeout(r, 100));
    await stopWorker(doomed, 'SIGKILL');
    survivor = startWorker(url);
    const queued = await run;
    assertSameNumbers(queued);
    assert.ok(queued.record.executor!.retriedAttempts! >= 1, 'the stalled job was seen');
    assert.is(queued.record.executor!.failedJobs, 0);
    assert.is((await queue.getJobCounts('completed')).completed, SHARDS);
  } finally {
    await queue.close();
    await stopWorker(doomed, 'SIGKILL');
    if (survivor) await stopWorker(survivor);
  }
});

test.run();
