import { resolve } from 'node:path';
import { packagePath } from '../../core/paths.js';
import { queueStatus, runQueueWorker, statusLines } from '../executors/queue/index.js';
import { integerFlag, parseFlags } from './parse-flags.js';
import { InputError } from '../../core/errors.js';

/** Usage text of `compbench worker`. */
export const WORKER_USAGE = `usage: compbench worker --queue redis://HOST:PORT/DB [--workers N] [--cache-dir DIR]
  Takes shards of 'compbench run --queue' runs from Redis and scores them, N at a time,
  each in its own process (a crash costs one attempt of one shard). Runs until SIGINT or
  SIGTERM, then finishes the shards in hand.
  --queue URL     the coordinator's Redis (redis:// or rediss://; a password as redis://:PASS@HOST:PORT/DB)
  --workers N     shards at a time (default 1)
  --cache-dir DIR this machine's mount of the coordinator's cache folder (the store; default .cache/compbench in the package)
  See runners/executors/queue/README.md for several machines, Kubernetes Jobs and systemd units.`;

/** Usage text of `compbench queue`. */
export const QUEUE_USAGE = `usage: compbench queue status --queue redis://HOST:PORT/DB
  Shards waiting, active, delayed (retry backoff), failed and completed, and the workers connected.`;

/** `compbench worker`: resolves when stopped (exit 0), or rejects with an InputError (exit 2). */
export async function workerCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseFlags('worker', args, { queue: { type: 'string' }, workers: { type: 'string' }, 'cache-dir': { type: 'string' }, help: { type: 'boolean', default: false } });
  if (values.help) {
    out(WORKER_USAGE);
    return 0;
  }
  if (values.queue === undefined) throw new InputError('worker: --queue is required, e.g. --queue redis://127.0.0.1:6379/0');
  const workers = integerFlag('workers', values.workers, 1);
  if (workers === 0) throw new InputError('--workers must be at least 1');
  await runQueueWorker({ url: values.queue, workers, cacheDir: values['cache-dir'] ? resolve(values['cache-dir']) : packagePath('.cache', 'compbench') }, out);
  return 0;
}

/** `compbench queue status`. */
export async function queueCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    out(QUEUE_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'status') throw new InputError(`queue: unknown subcommand '${sub}'; available: status`);
  const { values } = parseFlags('queue status', rest, { queue: { type: 'string' } });
  if (values.queue === undefined) throw new InputError('queue status: --queue is required, e.g. --queue redis://127.0.0.1:6379/0');
  for (const line of statusLines(await queueStatus(values.queue))) out(line);
  return 0;
}
