import { Queue, type Job, type Worker } from 'bullmq';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { queueExecutor, runQueueWorker } from '../../../../runners/executors/queue/index.js';
import { parseQueueUrl } from '../../../../runners/executors/queue/connection.js';
import type { QueueJobResult } from '../../../../runners/executors/queue/job-result.js';
import { QUEUE_NAME } from '../../../../runners/executors/queue/settings.js';
import { warmProcessors } from '../../../../runners/executors/queue/warm-processors.js';
import { runMatrix } from '../../../../runners/matrix/run-matrix.js';
import { teacherDir, tempDir } from '../../fixtures.js';
import { writeConfig } from '../../matrix/fixtures.js';
import { hasRedisServer, startRedis } from './redis-server.js';

const test = suite('runners/executors/queue: warm processors');

test('a worker without a processor pool (another BullMQ) warms nothing and says so', async () => {
  assert.is(await warmProcessors({} as unknown as Worker, '/nowhere/processor.js', 2), 0);
});

test('the processor is forked before the first job and runs every later job of its worker', async () => {
  const teacher = teacherDir('queue warm processors');
  if (!teacher || !hasRedisServer('queue warm processors')) return;
  const cacheDir = tempDir('queue-warm-cache');
  const config = writeConfig({ models: [{ id: 'teacher', dir: teacher }], methods: [], suites: ['knowledge-closed', 'perplexity'], limit: 4, measurement: { enabled: false }, execution: { workers: 1, shardSize: 2 }, cacheDir });
  const redis = await startRedis();
  const lines: string[] = [];
  let stop: () => void = () => undefined;
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const worker = runQueueWorker({ url: redis.url, workers: 1, cacheDir, stop: new Promise<void>((resolve) => (stop = resolve)) }, (line) => {
    lines.push(line);
    if (line.includes('taking shards')) listening();
  });
  const queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(redis.url).options });
  try {
    await ready;
    assert.match(lines.join('\n'), /1 at a time \(1 processor\(s\) warm in /u);
    const r = await runMatrix({ configFile: config, outDir: tempDir('queue-warm-out'), executor: queueExecutor(redis.url), progress: false }, () => {});
    assert.is(r.record.complete, true);
    const jobs = (await queue.getJobs(['completed'])) as Job<unknown, QueueJobResult>[];
    // knowledge-closed: 2 shards of 2; perplexity (rolling, shards of 1): 4
    assert.is(jobs.length, 6);
    const timings = jobs.map((j) => ({ ...j.returnvalue.timing!, takenAt: j.processedOn! }));
    assert.is(new Set(timings.map((t) => t.pid)).size, 1, 'one processor served every job');
    assert.equal(timings.map((t) => t.jobsBefore).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
    const first = timings.find((t) => t.jobsBefore === 0)!;
    assert.ok(first.readyAt <= first.takenAt, `the processor was loaded (${first.readyAt}) before its first job was taken (${first.takenAt})`);
  } finally {
    stop();
    await worker;
    await queue.close();
    await redis.stop();
  }
});

test.run();
