/**
 * The queue executor's overhead: the same matrix (teacher × suites, no compression, fresh
 * caches) run by the local executor and through BullMQ with 1 and 2 `compbench worker`
 * processes (1 shard each at a time, 1 intra-op thread), on a private redis-server. Worker
 * processes start inside the timed region, as the local executor's host does, and every
 * queued run gets an empty Redis database (else finished shards would be reused by id).
 * Configurations alternate within each repetition; medians of the repetitions are reported,
 * with the load average of the machine and where each run's time went (bench/queue-phases.ts).
 * The default matrix (6 suites, every instance) runs long enough (~30 s at 1 worker on an
 * idle 2-core machine) that throughput, not process start-up, is what it compares.
 *
 *   node dist/bench/queue-executor.js [--reps N] [--limit N] [--suites a,b,c]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { packagePath } from '../core/paths.js';
import { localExecutor } from '../runners/executors/local/executor.js';
import { queueExecutor } from '../runners/executors/queue/index.js';
import { runMatrix } from '../runners/matrix/index.js';
import { PHASE_LEGEND, PHASE_NAMES, localPhases, queuePhases, timedExecutor, type CoordinatorTimes, type Phases } from './queue-phases.js';
// The tests' private redis-server (free loopback port, no persistence).
import { hasRedisServer, startRedis } from '../test/runners/executors/queue/redis-server.js';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const reps = Number(flag('--reps') ?? 3);
const limit = flag('--limit') === undefined ? undefined : Number(flag('--limit'));
const suites = (flag('--suites') ?? 'knowledge-closed,reasoning,perplexity,rare-words,fairness,fairness-people').split(',');

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

/** A `compbench worker` process and when it began listening (ms after its spawn). */
function startWorker(url: string, cacheDir: string): { child: ChildProcess; readyMs: Promise<number> } {
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', url, '--workers', '1', '--cache-dir', cacheDir], { stdio: ['ignore', 'pipe', 'ignore'] });
  const readyMs = new Promise<number>((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.includes('taking shards from')) resolve(Date.now() - spawnedAt);
    });
  });
  return { child, readyMs };
}

/** One run; `queueUrl` absent: the local executor. */
async function timedRun(workers: number, queueUrl?: string): Promise<{ seconds: number; instances: number; phases: Phases }> {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-bench-queue-'));
  const cacheDir = join(dir, 'cache');
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ models: [{ id: 'teacher', dir: packagePath('datasets', 'models', 'teacher') }], baseline: 'teacher', methods: [], suites: suites.map((s) => packagePath('suites', s)), ...(limit ? { limit } : {}), measurement: { enabled: false }, execution: { workers, intraOpNumThreads: 1, shardSize: 32 }, cacheDir }));
  const times: CoordinatorTimes = { runStart: 0, runEnd: 0, delivered: [] };
  const t0 = Date.now();
  const procs = queueUrl ? Array.from({ length: workers }, () => startWorker(queueUrl, cacheDir)) : [];
  try {
    const executor = timedExecutor(queueUrl ? queueExecutor(queueUrl) : localExecutor, times);
    const r = await runMatrix({ configFile, outDir: join(dir, 'out'), progress: false, executor }, () => {});
    const tEnd = Date.now();
    const phases = queueUrl ? await queuePhases(queueUrl, t0, tEnd, times, workers, await Promise.all(procs.map((p) => p.readyMs))) : localPhases(t0, tEnd, times, workers);
    return { seconds: (tEnd - t0) / 1000, instances: r.computedInstances, phases };
  } finally {
    await Promise.all(procs.map((p) => stop(p.child)));
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Row {
  readonly name: string;
  readonly workers: number;
  readonly queue: boolean;
  readonly seconds: number[];
  readonly phases: Phases[];
  instances: number;
}

if (!hasRedisServer('queue executor bench')) process.exit(0);
const redis = await startRedis();
let db = 0;
const rows: Row[] = [1, 2].flatMap((w) => [
  { name: `local, ${w} worker(s)`, workers: w, queue: false, seconds: [], phases: [], instances: 0 },
  { name: `queue, ${w} worker process(es)`, workers: w, queue: true, seconds: [], phases: [], instances: 0 },
]);
const loads: number[] = [];
try {
  for (let rep = 0; rep < reps; rep++) {
    for (const row of rows) {
      const url = row.queue ? redis.url.replace(/\/0$/u, `/${(db++ % 15) + 1}`) : undefined;
      const r = await timedRun(row.workers, url);
      const load = loadavg()[0];
      loads.push(load);
      row.seconds.push(r.seconds);
      row.phases.push(r.phases);
      row.instances = r.instances;
      console.log(`[bench queue] rep ${rep + 1}/${reps} ${row.name}: ${r.instances} instances in ${r.seconds.toFixed(2)} s (load average ${load.toFixed(2)})`);
    }
  }
} finally {
  await redis.stop();
}
console.log(`\nteacher × ${suites.join(', ')}${limit ? ` (limit ${limit})` : ''}, median of ${reps} alternating runs, fresh caches; 1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (median ${median(loads).toFixed(1)}):`);
for (const row of rows) {
  const s = median(row.seconds);
  console.log(`${row.name.padEnd(28)} ${(row.instances / s).toFixed(1).padStart(7)} instances/s  (median ${s.toFixed(2)} s; runs ${row.seconds.map((x) => x.toFixed(2)).join(', ')})`);
}
for (const w of [1, 2]) {
  const l = rows.find((r) => r.workers === w && !r.queue)!;
  const q = rows.find((r) => r.workers === w && r.queue)!;
  console.log(`queue / local throughput at ${w} worker(s): ${((median(l.seconds) / median(q.seconds)) * 100).toFixed(0)}% (target ≥ 90%)`);
}
console.log('\nwhere the time goes (seconds, median over repetitions; – : no such phase):');
console.log(['phase'.padEnd(15), ...rows.map((r) => `${r.queue ? 'queue' : 'local'} ×${r.workers}`.padStart(10))].join(''));
for (const name of PHASE_NAMES) {
  const cells = rows.map((r) => {
    const xs = r.phases.map((p) => p[name]).filter((x): x is number => x !== undefined);
    return (xs.length ? median(xs).toFixed(2) : '–').padStart(10);
  });
  console.log([name.padEnd(15), ...cells].join(''));
}
for (const name of PHASE_NAMES) console.log(`  ${name}: ${PHASE_LEGEND[name]}`);
