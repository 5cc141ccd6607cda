import { resolve } from 'node:path';
import { packagePath } from '../../core/paths.js';
// The queue's worker module, not its index: a worker process needs none of the coordinator's
// side, and loads BullMQ itself after forking its processors (`queue status` loads status.js).
import { runQueueWorker } from '../executors/queue/worker.js';
import { integerFlag } from './parse-flags.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { QUEUE_SPEC, QUEUE_STATUS_SPEC, WORKER_SPEC } from '../../core/cli/specs/worker.js';
import { InputError } from '../../core/errors.js';

/** Usage text of `compbench worker`. */
export const WORKER_USAGE = commandUsage(WORKER_SPEC);

/** Usage text of `compbench queue`. */
export const QUEUE_USAGE = commandUsage(QUEUE_SPEC);

/** `compbench worker`: resolves when stopped (exit 0), or rejects with an InputError (exit 2). */
export async function workerCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(WORKER_SPEC, args);
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
  const { values } = parseCommandArgs(QUEUE_STATUS_SPEC, rest);
  if (values.help) {
    out(commandUsage(QUEUE_STATUS_SPEC));
    return 0;
  }
  if (values.queue === undefined) throw new InputError('queue status: --queue is required, e.g. --queue redis://127.0.0.1:6379/0');
  const { queueStatus, statusLines } = await import('../executors/queue/status.js');
  for (const line of statusLines(await queueStatus(values.queue))) out(line);
  return 0;
}
