export * from './interval.js';
export * from './quantile.js';
export * from './wilson.js';
export { bootstrapInterval, bootstrapMeanInterval, DEFAULT_RESAMPLES, type BootstrapOptions } from './bootstrap.js';
export * from './paired.js';
export * from './mcnemar.js';
export * from './kl.js';
export * from './summary.js';
export * from './slices.js';
