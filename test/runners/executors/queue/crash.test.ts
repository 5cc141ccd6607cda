import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { queueExecutor } from '../../../../runners/executors/queue/index.js';
import { runMatrix } from '../../../../runners/matrix/run-matrix.js';
import { teacherDir, tempDir } from '../../fixtures.js';
import { writeConfig } from '../../matrix/fixtures.js';
import { hasRedisServer, startRedis } from './redis-server.js';

const test = suite('runners/executors/queue: a crashing shard');
const CLI = fileURLToPath(new URL('../../../../cli.js', import.meta.url));

test('a processor that dies costs attempts of its job, not the worker: the cell is errored with the reason, the rest finish', async () => {
  const teacher = teacherDir('queue crash');
  if (!teacher || !hasRedisServer('queue crash')) return;
  const cacheDir = tempDir('queue-crash-cache');
  const config = writeConfig({ models: [{ id: 'teacher', dir: teacher }], methods: [], suites: ['knowledge-closed', 'perplexity'], limit: 2, measurement: { enabled: false }, execution: { workers: 1, shardSize: 8 }, cacheDir });
  const redis = await startRedis();
  const worker = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '--cache-dir', cacheDir], { stdio: 'ignore' });
  process.env.COMPBENCH_TEST_FAULTS = 'teacher|knowledge-closed|exit';
  try {
    const r = await runMatrix({ configFile: config, outDir: tempDir('queue-crash-out'), executor: queueExecutor(redis.url), progress: false }, () => {});
    const crashed = r.record.cells.find((c) => c.suiteId === 'knowledge-closed')!;
    assert.is(crashed.state, 'errored');
    assert.match(crashed.state === 'errored' ? crashed.error : '', /^queue: the shard failed 3 attempt\(s\): /u);
    assert.is(r.record.cells.find((c) => c.suiteId === 'perplexity')!.state, 'ok');
    assert.is(r.record.executor!.failedJobs, 1);
    assert.is(r.record.executor!.retriedAttempts, 2);
    assert.is(worker.exitCode, null, 'the worker outlived its processor');
  } finally {
    delete process.env.COMPBENCH_TEST_FAULTS;
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    await redis.stop();
  }
});

test.run();
