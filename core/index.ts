export * from './errors.js';
export * from './paths.js';
export * from './requests.js';
export * from './rng.js';
export * from './stats/index.js';
export * from './jsonl.js';
export * from './schemas/index.js';
export * from './run-record.js';
