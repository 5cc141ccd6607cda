import { Queue } from 'bullmq';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { queueExecutor, runQueueWorker } from '../../../../runners/executors/queue/index.js';
import { runMatrix } from '../../../../runners/matrix/run-matrix.js';
import { teacherDir, tempDir } from '../../fixtures.js';
import { writeConfig } from '../../matrix/fixtures.js';
import { hasRedisServer, startRedis } from './redis-server.js';

const test = suite('runners/executors/queue: coordinator round trips');

test("the coordinator asks for each shard's state once, not again after every result", async () => {
  const teacher = teacherDir('queue round trips');
  if (!teacher || !hasRedisServer('queue round trips')) return;
  const shards = 12;
  // knowledge-closed in shards of 1: 12 jobs, each done in well under the 5 s safety poll.
  const cacheDir = tempDir('queue-trips-cache');
  const config = writeConfig({ models: [{ id: 'teacher', dir: teacher }], methods: [], suites: ['knowledge-closed'], limit: shards, measurement: { enabled: false }, execution: { workers: 1, shardSize: 1 }, cacheDir });
  const redis = await startRedis();
  let stop: () => void = () => undefined;
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const worker = runQueueWorker({ url: redis.url, workers: 1, cacheDir, stop: new Promise<void>((resolve) => (stop = resolve)) }, (line) => {
    if (line.includes('taking shards')) listening();
  });
  const getJobState = Queue.prototype.getJobState;
  let asked = 0;
  Queue.prototype.getJobState = function (this: Queue, ...args: Parameters<Queue['getJobState']>) {
    asked += 1;
    return getJobState.apply(this, args);
  };
  try {
    await ready;
    const r = await runMatrix({ configFile: config, outDir: tempDir('queue-trips-out'), executor: queueExecutor(redis.url), progress: false }, () => {});
    assert.is(r.record.complete, true);
    assert.is(r.computedInstances, shards);
    // Once each before adding (resume check); asking for every pending shard after each
    // result would be about shards²/2 more (78 here).
    assert.ok(asked <= 2 * shards, `${asked} state requests for ${shards} shards`);
  } finally {
    Queue.prototype.getJobState = getJobState;
    stop();
    await worker;
    await redis.stop();
  }
});

test.run();
