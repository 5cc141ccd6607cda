import type { CommandSpec } from '../flag-table.js';

/** `compbench worker`. */
export const WORKER_SPEC = {
  name: 'worker',
  summary: "take shards of 'compbench run --queue' runs from Redis and score them, until SIGINT/SIGTERM",
  synopsis: '--queue redis://HOST:PORT/DB [--workers N] [--cache-dir DIR]',
  positionals: { min: 0, max: 0 },
  flags: {
    queue: { type: 'string', value: 'URL', default: 'required', help: "the coordinator's Redis (redis:// or rediss://; a password as redis://:PASS@HOST:PORT/DB)" },
    workers: { type: 'string', value: 'N', default: '1', help: 'shards at a time, each in its own process' },
    'cache-dir': { type: 'string', value: 'DIR', default: '.cache/compbench in the package', help: "this machine's mount of the coordinator's cache folder (the store)" },
  },
  example: 'compbench worker --queue redis://127.0.0.1:6379/0 --workers 2',
  details: ['See docs/queue.md and runners/executors/queue/README.md for several machines, Kubernetes Jobs and systemd units.'],
} as const satisfies CommandSpec;

/** `compbench queue status`. */
export const QUEUE_STATUS_SPEC = {
  name: 'queue status',
  summary: 'shards waiting, active, delayed, failed and completed, and the workers connected',
  synopsis: '--queue redis://HOST:PORT/DB',
  positionals: { min: 0, max: 0 },
  flags: {
    queue: { type: 'string', value: 'URL', default: 'required', help: "the coordinator's Redis" },
  },
  example: 'compbench queue status --queue redis://127.0.0.1:6379/0',
} as const satisfies CommandSpec;

/** `compbench queue`. */
export const QUEUE_SPEC = {
  name: 'queue',
  summary: 'inspect the Redis queue of a distributed run',
  synopsis: 'status --queue URL',
  positionals: { min: 0, max: 0 },
  flags: {},
  example: 'compbench queue status --queue redis://127.0.0.1:6379/0',
  subcommands: [QUEUE_STATUS_SPEC],
} as const satisfies CommandSpec;
