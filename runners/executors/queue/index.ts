export { queueExecutor } from './executor.js';
export { runQueueWorker, type QueueWorkerOptions } from './worker.js';
export { queueStatus, statusLines, type QueueStatus } from './status.js';
export { parseQueueUrl, checkQueueConnection, type QueueConnection } from './connection.js';
export { shardHash, jobData, taskOf, jobProblems, versionMismatch, localVersions, type QueueJobData, type Place, type JobVersions } from './job.js';
export { QUEUE_NAME, JOB_OPTIONS } from './settings.js';
