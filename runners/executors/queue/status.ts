/** `compbench queue status`: how many shards wait, run, failed or finished, and who works. */
import { Queue } from 'bullmq';
import { checkQueueConnection, parseQueueUrl } from './connection.js';
import { QUEUE_NAME } from './settings.js';

/** Counts of the queue's jobs by state, and the connected workers. */
export interface QueueStatus {
  readonly queue: string;
  readonly counts: Readonly<Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed', number>>;
  readonly workers: number;
}

/** Reads the queue's counts (InputError naming `--queue` when Redis is unreachable). */
export async function queueStatus(url: string): Promise<QueueStatus> {
  const connection = parseQueueUrl(url);
  await checkQueueConnection(connection);
  const queue = new Queue(QUEUE_NAME, { connection: connection.options });
  try {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    const workers = (await queue.getWorkers()).length;
    return { queue: `${connection.display} ${QUEUE_NAME}`, counts: { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0 }, workers };
  } finally {
    await queue.close();
  }
}

/** The status as lines: `waiting 3`, `active 2`, … */
export function statusLines(s: QueueStatus): string[] {
  return [`queue ${s.queue}`, ...Object.entries(s.counts).map(([k, v]) => `${k.padEnd(9)} ${v}`), `workers   ${s.workers}`];
}
