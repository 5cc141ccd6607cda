import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseQueueUrl } from '../../../../runners/executors/queue/connection.js';
import { adoptEarlyProcessors, discardEarlyProcessors, startEarlyProcessors } from '../../../../runners/executors/queue/early-processors.js';
import { tempDir } from '../../fixtures.js';
import { hasRedisServer, startRedis } from './redis-server.js';

const test = suite('runners/executors/queue: processors forked before the worker');

/** A processor file that records its pid in `dir/pids` when it loads and answers each job with its pid. */
function processorFile(): { file: string; pids: () => number[] } {
  const dir = tempDir('early-processors');
  mkdirSync(join(dir, 'pids'));
  const file = join(dir, 'processor.mjs');
  writeFileSync(file, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir, 'pids'))} + '/' + process.pid, '');\nexport default async () => process.pid;\n`);
  return { file, pids: () => readdirSync(join(dir, 'pids')).map(Number) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('processors no worker takes are stopped once loaded; a worker without a sandbox takes none', async () => {
  const p = processorFile();
  const early = startEarlyProcessors(p.file, 2, {});
  assert.ok(early, "this BullMQ's ChildPool is found");
  assert.is(await early.ready, 2);
  assert.is(p.pids().length, 2);
  assert.not.ok(adoptEarlyProcessors({} as unknown as Worker, early, p.file));
  await discardEarlyProcessors(early);
  for (const pid of p.pids()) assert.not.ok(alive(pid), `processor ${pid} still runs`);
});

test('a worker given the early processors runs its jobs in them and forks no other', async () => {
  if (!hasRedisServer('queue early processors')) return;
  const redis = await startRedis();
  const connection = parseQueueUrl(redis.url).options;
  const p = processorFile();
  const name = 'early-processors-test';
  const early = startEarlyProcessors(p.file, 2, {});
  const worker = new Worker<unknown, number>(name, p.file, { connection, concurrency: 2, useWorkerThreads: false, autorun: false });
  const queue = new Queue(name, { connection });
  try {
    assert.ok(early && adoptEarlyProcessors(worker, early, p.file));
    assert.is(await early.ready, 2);
    const forked = p.pids().sort();
    await queue.addBulk(Array.from({ length: 6 }, (_, i) => ({ name: 'job', data: { i } })));
    let completed = 0;
    const done = new Promise<void>((resolve) => worker.on('completed', () => ++completed === 6 && resolve()));
    worker.run().catch(() => undefined);
    await done;
    const jobs = (await queue.getJobs(['completed'])) as Job<unknown, number>[];
    assert.is(jobs.length, 6);
    for (const j of jobs) assert.ok(forked.includes(j.returnvalue), `job ${j.id} ran in ${j.returnvalue}, not an early processor`);
    assert.equal(p.pids().sort(), forked, 'no processor was forked after the early ones');
  } finally {
    await worker.close();
    // Stops them here too should the worker not have taken them (else they keep this test alive).
    if (early) await discardEarlyProcessors(early);
    await queue.close();
    await redis.stop();
  }
  for (const pid of p.pids()) assert.not.ok(alive(pid), `closing the worker left processor ${pid} running`);
});

test.run();
