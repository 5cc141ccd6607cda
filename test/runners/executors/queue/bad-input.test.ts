import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import { checkQueueConnection, parseQueueUrl } from '../../../../runners/executors/queue/connection.js';
import { jobData, shardHash } from '../../../../runners/executors/queue/job.js';
import { JOB_OPTIONS, QUEUE_NAME } from '../../../../runners/executors/queue/settings.js';
import { tempDir } from '../../fixtures.js';
import { freePort, hasRedisServer, startRedis } from './redis-server.js';

const test = suite('runners/executors/queue: bad input');
const CLI = fileURLToPath(new URL('../../../../cli.js', import.meta.url));

async function inputError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

test('malformed --queue URLs: one line naming the flag and the form to give', () => {
  assert.throws(() => parseQueueUrl('localhost:6379'), (e: Error) => e instanceof InputError && /^--queue 'localhost:6379': the scheme must be redis: or rediss:/u.test(e.message) && /redis:\/\/HOST:PORT\/DB/u.test(e.message));
  assert.throws(() => parseQueueUrl('not a url'), /^--queue 'not a url' is not a URL; give redis:\/\/HOST:PORT\/DB/u);
  assert.throws(() => parseQueueUrl('redis://h:6379/99'), /the database '99' must be a number 0–15/u);
  assert.throws(() => parseQueueUrl('redis://h:6379/x'), /the database 'x'/u);
  const withPassword = parseQueueUrl('redis://:s3cret@h:7000/2');
  assert.is(withPassword.display, 'redis://h:7000/2', 'the password never reaches logs or run.json');
  assert.is(withPassword.options.password, 's3cret');
  assert.is(withPassword.options.db, 2);
  assert.ok(parseQueueUrl('rediss://h/0').options.tls, 'rediss: is TLS');
});

test('an unreachable Redis: one line naming --queue and the fix', async () => {
  const port = await freePort();
  const message = await inputError(checkQueueConnection(parseQueueUrl(`redis://127.0.0.1:${port}/0`)));
  assert.match(message, new RegExp(`^--queue redis://127\\.0\\.0\\.1:${port}/0: Redis does not answer \\(.*\\); start redis-server there`, 'u'));
});

test('CLI: run and worker with an unreachable or malformed queue exit 2 with one compbench: line', async () => {
  const port = await freePort();
  const out = tempDir('bad-queue-out');
  for (const args of [['run', '--queue', `redis://127.0.0.1:${port}/0`, '--out', out, '--limit', '1'], ['run', '--queue', 'nope', '--out', out], ['worker', '--queue', `redis://127.0.0.1:${port}/0`], ['queue', 'status', '--queue', 'http://x/0']]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.is(lines.length, 1, r.stderr);
    assert.match(lines[0], /^compbench: (--queue|queue status|worker)/u);
  }
});

test('a Redis that evicts keys is refused with one line', async () => {
  if (!hasRedisServer('queue eviction policy')) return;
  const redis = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
  try {
    const message = await inputError(checkQueueConnection(parseQueueUrl(redis.url)));
    assert.match(message, /maxmemory-policy allkeys-lru\), which would lose queued shards; set maxmemory-policy noeviction/u);
  } finally {
    await redis.stop();
  }
});

test('queue status counts jobs; a worker refuses a job of another compbench version: one line, exit 2', async () => {
  if (!hasRedisServer('queue status and version refusal')) return;
  const redis = await startRedis();
  const queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(redis.url).options });
  try {
    const data = jobData({ kind: 'shard', variantDir: '/nowhere', suiteFile: '/nowhere/suite.json', instanceIds: ['a'], intraOpNumThreads: 1, timeoutMs: 1000, batchSize: 1 }, 'v × s', 'v', 's', '/store', { compbench: '0.0.0-elsewhere', scoring: 1 });
    await queue.add('shard', data, { ...JOB_OPTIONS, jobId: shardHash(data) });
    const status = spawnSync(process.execPath, [CLI, 'queue', 'status', '--queue', redis.url], { encoding: 'utf8' });
    assert.is(status.status, 0, status.stderr);
    assert.match(status.stdout, /^waiting\s+1$/mu);
    assert.match(status.stdout, /^failed\s+0$/mu);
    const { code, stderr } = await workerUntilExit(redis.url);
    assert.is(code, 2);
    assert.is(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^compbench: worker \S+ refused job [0-9a-f]{12}: the job was made by compbench 0\.0\.0-elsewhere \(scoring v1\) and this worker is compbench .*; run the same compbench version/u);
    assert.is((await queue.getJobCounts('failed')).failed, 1);
  } finally {
    await queue.close();
    await redis.stop();
  }
});

test('a worker refuses a payload that is not a compbench shard: one line, exit 2', async () => {
  if (!hasRedisServer('foreign payload refusal')) return;
  const redis = await startRedis();
  const queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(redis.url).options });
  try {
    await queue.add('shard', { hello: 'world' }, { ...JOB_OPTIONS, jobId: 'foreign-1' });
    const { code, stderr } = await workerUntilExit(redis.url);
    assert.is(code, 2);
    assert.is(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^compbench: worker \S+ refused job foreign-1: not a compbench shard job \(foreign payload\): .*give compbench a Redis database of its own/u);
    assert.is((await queue.getJobCounts('failed')).failed, 1);
  } finally {
    await queue.close();
    await redis.stop();
  }
});

/** Runs `compbench worker` on `url` until it exits by itself; its exit code and stderr. */
async function workerUntilExit(url: string): Promise<{ code: number | null; stderr: string }> {
  const worker = spawn(process.execPath, [CLI, 'worker', '--queue', url, '--cache-dir', tempDir('store')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  worker.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => worker.once('exit', resolve));
  return { code, stderr };
}

test.run();
