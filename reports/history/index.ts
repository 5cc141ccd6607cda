export * from './command.js';
export * from './query.js';
export * from './store.js';
export * from './trend.js';
