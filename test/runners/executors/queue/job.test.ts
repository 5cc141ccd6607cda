import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UnrecoverableError, type SandboxedJob } from 'bullmq';
import { PACKAGE_ROOT } from '../../../../core/paths.js';
import { fromPlace, jobData, jobProblems, localVersions, shardHash, taskOf, toPlace, versionMismatch } from '../../../../runners/executors/queue/job.js';
import processShard, { VERSION_REFUSAL, type QueueJobResult } from '../../../../runners/executors/queue/processor.js';
import type { ShardTask } from '../../../../runners/matrix/shard.js';

const test = suite('runners/executors/queue/job');

const task: ShardTask = { kind: 'shard', variantDir: '/store/variants/abc', suiteFile: `${PACKAGE_ROOT}/suites/perplexity/suite.json`, instanceIds: ['a', 'b'], intraOpNumThreads: 1, timeoutMs: 1000, batchSize: 128 };

test('places are relative to the store or the package, absolute otherwise, and come back under another mount', () => {
  const data = jobData(task, 'v × s', 'vhash', 'shash', '/store');
  assert.equal(data.variant, { hash: 'vhash', root: 'store', path: 'variants/abc' });
  assert.equal(data.suite, { hash: 'shash', root: 'package', path: 'suites/perplexity/suite.json' });
  assert.equal(toPlace('/elsewhere/model', 'h', '/store'), { hash: 'h', root: 'absolute', path: '/elsewhere/model' });
  const there = taskOf(data, '/mnt/shared');
  assert.is(there.variantDir, '/mnt/shared/variants/abc');
  assert.is(there.suiteFile, task.suiteFile);
  assert.equal(jobProblems(data), []);
});

test('a relative place cannot climb out of its root', () => {
  assert.throws(() => fromPlace({ hash: 'h', root: 'store', path: '../../etc/passwd' }, '/store'), /leaves its folder/);
});

test('the job id hashes content, not paths or labels', () => {
  const a = shardHash(jobData(task, 'a × s', 'vhash', 'shash', '/store'));
  const moved = shardHash(jobData({ ...task, variantDir: '/other/variants/abc' }, 'b × s', 'vhash', 'shash', '/other'));
  assert.is(a, moved);
  assert.match(a, /^[0-9a-f]{64}$/u);
  assert.is.not(shardHash(jobData({ ...task, instanceIds: ['a'] }, 'a × s', 'vhash', 'shash', '/store')), a);
  assert.is.not(shardHash(jobData(task, 'a × s', 'other', 'shash', '/store')), a);
  assert.is.not(shardHash(jobData(task, 'a × s', 'vhash', 'shash', '/store', { ...localVersions(), scoring: 999 })), a);
});

test('versions: the same pass, another compbench or scoring version is named with the fix', () => {
  assert.is(versionMismatch(localVersions()), undefined);
  const why = versionMismatch({ compbench: '0.0.1-other', scoring: localVersions().scoring });
  assert.match(why ?? '', /compbench 0\.0\.1-other .* run the same compbench version/u);
});

const sandboxed = (data: unknown): SandboxedJob<unknown, QueueJobResult> => ({ data }) as unknown as SandboxedJob<unknown, QueueJobResult>;

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

test('the processor refuses a foreign payload and a job of other versions without retries', async () => {
  const foreign = await rejection(processShard(sandboxed({ hello: 'world' })));
  assert.instance(foreign, UnrecoverableError);
  assert.match(foreign.message, /^not a compbench shard job \(foreign payload\): /u);
  const other = await rejection(processShard(sandboxed(jobData(task, 'v × s', 'vhash', 'shash', '/store', { compbench: '9.9.9', scoring: 1 }))));
  assert.instance(other, UnrecoverableError);
  assert.ok(other.message.startsWith(VERSION_REFUSAL), other.message);
  const missing = await rejection(processShard(sandboxed(jobData(task, 'v × s', 'vhash', 'shash', '/store'))));
  assert.match(missing.message, /is not at .*--cache-dir/u);
});

test.run();
