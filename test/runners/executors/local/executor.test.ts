import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../../../../core/errors.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { executeShards, type ShardJob } from '../../../../runners/executors/local/executor.js';
import type { ShardResult, ShardTask, TestFault } from '../../../../runners/matrix/shard.js';
import { storiesDir, tempDir } from '../../fixtures.js';
import { writeTinySuites } from '../../matrix/fixtures.js';

const test = suite('runners/executors/local/executor');

async function runJobs(tasks: { name: string; task: ShardTask }[], workers: number): Promise<Map<string, ShardResult>> {
  const out = new Map<string, ShardResult>();
  const jobs: ShardJob<string, ShardTask>[] = tasks.map(({ name, task }) => ({ key: name, task }));
  await executeShards(jobs, { workers }, (job, result) => out.set(job.key, result));
  return out;
}

test('a worker crash (SIGABRT), a worker thread exit, a throwing cell and NaN logits fail their shard with the reason; the others finish', async () => {
  const model = storiesDir('executor faults');
  if (!model) return;
  const { mc, ppl } = writeTinySuites(join(model, '..'));
  const task = (suiteDir: string, ids: string[], testFault?: TestFault): ShardTask => ({
    kind: 'shard', variantDir: model, suiteFile: join(suiteDir, 'suite.json'), instanceIds: ids, intraOpNumThreads: 1, timeoutMs: 600_000, batchSize: 20, ...(testFault ? { testFault } : {}),
  });
  const results = await runJobs([
    { name: 'ok-mc', task: task(mc, ['a', 'b']) },
    { name: 'abort', task: task(mc, ['a'], 'abort') },
    { name: 'ok-ppl', task: task(ppl, ['s0', 's1']) },
    { name: 'throw', task: task(mc, ['b'], 'throw') },
    { name: 'nan', task: task(mc, ['a', 'b'], 'nan') },
    { name: 'ok-after', task: task(ppl, ['s2']) },
    { name: 'exit', task: task(mc, ['a'], 'exit') },
  ], 2);
  assert.is(results.size, 7, 'every job reported exactly once');
  const abort = results.get('abort')!;
  assert.is(abort.state, 'failed');
  assert.match(abort.state === 'failed' ? abort.error : '', /^worker crashed \(signal SIGABRT/);
  const thrown = results.get('throw')!;
  assert.equal(thrown.state === 'failed' ? thrown.error : '', 'test fault: this cell throws');
  const exited = results.get('exit')!;
  assert.match(exited.state === 'failed' ? exited.error : '', /^worker failed: .*exit/i);
  const nan = results.get('nan')!;
  assert.equal(nan.state === 'failed' ? nan.error : '', 'every instance failed: non-finite logits (NaN or ±Inf) from the model');
  for (const name of ['ok-mc', 'ok-ppl', 'ok-after']) {
    const r = results.get(name)!;
    assert.is(r.state, 'ok', `${name}: ${r.state === 'failed' ? r.error : ''}`);
    assert.ok(r.records.every((x) => x.state === 'scored'));
  }
  assert.equal(results.get('ok-mc')!.records.map((r) => r.instanceId), ['a', 'b']);
});

test('the time budget is enforced between batches inside the worker', async () => {
  const model = storiesDir('executor timeout');
  if (!model) return;
  const { ppl } = writeTinySuites(join(model, '..'));
  const results = await runJobs([
    { name: 'late', task: { kind: 'shard', variantDir: model, suiteFile: join(ppl, 'suite.json'), instanceIds: ['s0', 's1', 's2'], intraOpNumThreads: 1, timeoutMs: 0, batchSize: 1 } },
  ], 1);
  const late = results.get('late')!;
  assert.is(late.state, 'failed');
  assert.match(late.state === 'failed' ? late.error : '', /^timed out after 0\.0 s \(1 of 3 instances of this shard done\)/);
  assert.is(late.records.length, 1, 'the batch finished before the budget ran out is kept');
});

test('a host process that cannot start is an InfraError, not an endless respawn', async () => {
  const host = join(tempDir('host'), 'broken-host.mjs');
  writeFileSync(host, "process.stderr.write('cannot load piscina\\n'); process.exit(1);\n");
  const task: ShardTask = { kind: 'shard', variantDir: '/nope', suiteFile: '/nope/suite.json', instanceIds: ['a'], intraOpNumThreads: 1, timeoutMs: 1000, batchSize: 1 };
  let error: unknown;
  await executeShards([{ key: 'x', task }], { workers: 1, hostFile: host }, () => undefined).catch((e: unknown) => (error = e));
  assert.instance(error, InfraError);
  assert.match((error as Error).message, 'exits before it starts (exit code 1: cannot load piscina)');
});

test.run();
