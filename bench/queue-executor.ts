/**
 * The queue executor's overhead: the same matrix (teacher × suites, no compression, fresh
 * caches) run by the local executor and through BullMQ with 1 and 2 `compbench worker`
 * processes (1 shard each at a time, 1 intra-op thread), on a private redis-server. Worker
 * processes start inside the timed region, as the local executor's host does, and every
 * queued run gets an empty Redis database (else finished shards would be reused by id).
 * Configurations alternate within each repetition; the median of the repetitions is reported.
 *
 *   node dist/bench/queue-executor.js [--reps N] [--limit N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagePath } from '../core/paths.js';
import { queueExecutor } from '../runners/executors/queue/index.js';
import { runMatrix } from '../runners/matrix/index.js';
// The tests' private redis-server (free loopback port, no persistence).
import { hasRedisServer, startRedis } from '../test/runners/executors/queue/redis-server.js';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
const SUITES = ['knowledge-closed', 'perplexity', 'reasoning'];

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const reps = flag('--reps', 3);
const limit = flag('--limit', 120);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Seconds and instances of one run; `queueUrl` absent: the local executor. */
async function timedRun(workers: number, queueUrl?: string): Promise<{ seconds: number; instances: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-bench-queue-'));
  const cacheDir = join(dir, 'cache');
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ models: [{ id: 'teacher', dir: packagePath('datasets', 'models', 'teacher') }], baseline: 'teacher', methods: [], suites: SUITES.map((s) => packagePath('suites', s)), limit, measurement: { enabled: false }, execution: { workers, intraOpNumThreads: 1, shardSize: 32 }, cacheDir }));
  const t0 = performance.now();
  const procs = queueUrl ? Array.from({ length: workers }, () => spawn(process.execPath, [CLI, 'worker', '--queue', queueUrl, '--workers', '1', '--cache-dir', cacheDir], { stdio: 'ignore' })) : [];
  try {
    const r = await runMatrix({ configFile, outDir: join(dir, 'out'), progress: false, ...(queueUrl ? { executor: queueExecutor(queueUrl) } : {}) }, () => {});
    return { seconds: (performance.now() - t0) / 1000, instances: r.computedInstances };
  } finally {
    await Promise.all(procs.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!hasRedisServer('queue executor bench')) process.exit(0);
const redis = await startRedis();
let db = 0;
const rows: { name: string; seconds: number[]; instances: number }[] = [];
const configs = [1, 2].flatMap((w) => [{ name: `local, ${w} worker(s)`, workers: w, queue: false }, { name: `queue, ${w} worker process(es)`, workers: w, queue: true }]);
try {
  for (let rep = 0; rep < reps; rep++) {
    for (const c of configs) {
      const url = c.queue ? redis.url.replace(/\/0$/u, `/${(db++ % 15) + 1}`) : undefined;
      const r = await timedRun(c.workers, url);
      let row = rows.find((x) => x.name === c.name);
      if (!row) rows.push((row = { name: c.name, seconds: [], instances: r.instances }));
      row.seconds.push(r.seconds);
      console.log(`[bench queue] rep ${rep + 1}/${reps} ${c.name}: ${r.instances} instances in ${r.seconds.toFixed(2)} s`);
    }
  }
} finally {
  await redis.stop();
}
console.log(`\nteacher × ${SUITES.join(', ')} (limit ${limit}), median of ${reps} alternating runs, fresh caches:`);
for (const row of rows) {
  const s = median(row.seconds);
  console.log(`${row.name.padEnd(28)} ${(row.instances / s).toFixed(1).padStart(7)} instances/s  (median ${s.toFixed(2)} s; runs ${row.seconds.map((x) => x.toFixed(2)).join(', ')})`);
}
for (const w of [1, 2]) {
  const l = rows.find((r) => r.name.startsWith(`local, ${w}`))!;
  const q = rows.find((r) => r.name.startsWith(`queue, ${w}`))!;
  console.log(`queue / local throughput at ${w} worker(s): ${((median(l.seconds) / median(q.seconds)) * 100).toFixed(0)}% (target ≥ 90%)`);
}
