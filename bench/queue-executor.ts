/**
 * The queue executor's overhead: the same matrix (teacher × suites, no compression, fresh
 * caches) run by the local executor and through BullMQ with 1 and 2 `compbench worker`
 * processes (1 shard each at a time, 1 intra-op thread), on a private redis-server. Cold
 * rows start the worker processes inside the timed region, as the local executor's host
 * does; every queued run gets an empty Redis database.
 * Configurations alternate within each repetition; medians of the repetitions are reported,
 * with the load average of the machine and where each run's time went (bench/queue-phases.ts).
 * Warm rows start their workers before the clock (a standing fleet of `compbench worker`
 * processes, their processors forked and waiting), so they show the queue's steady cost.
 * The default matrix (teacher × 6 suites, 1800 instances) runs long enough (about a minute
 * a run at load average 20 on the 2-core development machine) that throughput, not process
 * start-up, is what it compares.
 *
 *   node dist/bench/queue-executor.js [--reps N] [--limit N] [--suites a,b,c] [--quick]
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
// `npm run bench -- --quick` (bench/index.ts shares its argv): 60 instances a suite, a few seconds a run.
const quick = argv.includes('--quick');
const reps = Number(flag('--reps') ?? 3);
const limit = flag('--limit') === undefined ? (quick ? 60 : undefined) : Number(flag('--limit'));
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

/** How a configuration runs: the local executor, or the queue with workers started inside the timed region (cold) or before it (warm). */
type Mode = 'local' | 'cold' | 'warm';

/** One run; a warm run's workers start, fork their processors and wait on the queue before the clock starts. */
async function timedRun(workers: number, mode: Mode, queueUrl: string): Promise<{ seconds: number; instances: number; phases: Phases }> {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-bench-queue-'));
  const cacheDir = join(dir, 'cache');
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ models: [{ id: 'teacher', dir: packagePath('datasets', 'models', 'teacher') }], baseline: 'teacher', methods: [], suites: suites.map((s) => packagePath('suites', s)), ...(limit ? { limit } : {}), measurement: { enabled: false }, execution: { workers, intraOpNumThreads: 1, shardSize: 32 }, cacheDir }));
  const times: CoordinatorTimes = { runStart: 0, runEnd: 0, delivered: [] };
  const procs: ReturnType<typeof startWorker>[] = [];
  try {
    if (mode === 'warm') {
      procs.push(...Array.from({ length: workers }, () => startWorker(queueUrl, cacheDir)));
      await Promise.all(procs.map((p) => p.readyMs));
    }
    const t0 = Date.now();
    if (mode === 'cold') procs.push(...Array.from({ length: workers }, () => startWorker(queueUrl, cacheDir)));
    const executor = timedExecutor(mode === 'local' ? localExecutor : queueExecutor(queueUrl), times);
    const r = await runMatrix({ configFile, outDir: join(dir, 'out'), progress: false, executor }, () => {});
    const tEnd = Date.now();
    const phases = mode === 'local' ? localPhases(t0, tEnd, times, workers) : await queuePhases(queueUrl, t0, tEnd, times, workers, mode === 'cold' ? await Promise.all(procs.map((p) => p.readyMs)) : []);
    return { seconds: (tEnd - t0) / 1000, instances: r.computedInstances, phases };
  } finally {
    await Promise.all(procs.map((p) => stop(p.child)));
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Row {
  readonly name: string;
  readonly short: string;
  readonly workers: number;
  readonly mode: Mode;
  readonly seconds: number[];
  readonly phases: Phases[];
  instances: number;
}

if (!hasRedisServer('queue executor bench')) process.exit(0);
const redis = await startRedis();
let db = 0;

/** FLUSHDB on the database a queued run is about to use (its untimed set-up). */
async function emptyDatabase(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await client.flushdb();
  } finally {
    client.disconnect();
  }
}
const rows: Row[] = [1, 2].flatMap((w) =>
  (['local', 'cold', 'warm'] as const).map((mode) => ({
    name: mode === 'local' ? `local, ${w} worker(s)` : `queue, ${w} ${mode} worker process(es)`,
    short: `${mode} ×${w}`,
    workers: w,
    mode,
    seconds: [],
    phases: [],
    instances: 0,
  })),
);
const loads: number[] = [];
try {
  for (let rep = 0; rep < reps; rep++) {
    for (const row of rows) {
      // Every queued run gets an empty database (else finished shards would be reused by id):
      // the numbers wrap after 15, so the one taken is emptied first.
      const url = redis.url.replace(/\/0$/u, `/${(db++ % 15) + 1}`);
      if (row.mode !== 'local') await emptyDatabase(url);
      const r = await timedRun(row.workers, row.mode, url);
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
  console.log(`${row.name.padEnd(34)} ${(row.instances / s).toFixed(1).padStart(7)} instances/s  (median ${s.toFixed(2)} s; runs ${row.seconds.map((x) => x.toFixed(2)).join(', ')})`);
}
const med = (row: Row, name: (typeof PHASE_NAMES)[number]): number => median(row.phases.map((p) => p[name] ?? 0));
for (const w of [1, 2]) {
  const l = rows.find((r) => r.workers === w && r.mode === 'local')!;
  for (const q of rows.filter((r) => r.workers === w && r.mode !== 'local')) {
    // Scoring is the same code in both; its speed swings with the machine's other load. The
    // executor's own cost is the idle time it adds per worker (start-up, waits, tail).
    const added = (med(q, 'idle') - med(l, 'idle')) / w;
    console.log(`queue (${q.mode} workers) / local throughput at ${w} worker(s): ${((median(l.seconds) / median(q.seconds)) * 100).toFixed(0)}% (target ≥ 90%); idle time the queue adds: ${added.toFixed(2)} s per worker = ${((added / median(l.seconds)) * 100).toFixed(1)}% of the local run`);
  }
}
console.log('\nwhere the time goes (seconds, median over repetitions; – : no such phase):');
console.log(['phase'.padEnd(15), ...rows.map((r) => r.short.padStart(10))].join(''));
for (const name of PHASE_NAMES) {
  const cells = rows.map((r) => {
    const xs = r.phases.map((p) => p[name]).filter((x): x is number => x !== undefined);
    return (xs.length ? median(xs).toFixed(2) : '–').padStart(10);
  });
  console.log([name.padEnd(15), ...cells].join(''));
}
for (const name of PHASE_NAMES) console.log(`  ${name}: ${PHASE_LEGEND[name]}`);
