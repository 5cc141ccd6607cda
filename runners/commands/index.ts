export { compressCommand, COMPRESS_USAGE } from './compress.js';
export { generateCommand, GENERATE_USAGE } from './generate.js';
export { integerFlag } from './parse-flags.js';
export { runCommand, runFromArgs, RUN_USAGE, RUN_EXIT_CODES, type LockedRun } from './run.js';
export { importCommand, IMPORT_USAGE } from './import.js';
export { exportCommand, EXPORT_USAGE } from './export.js';
export { workerCommand, queueCommand, WORKER_USAGE, QUEUE_USAGE } from './worker.js';
