export * from './cell-metrics.js';
export * from './command.js';
export * from './compare-runs.js';
export * from './format-comparison.js';
export * from './header-diff.js';
export * from './json-diff.js';
export * from './load-run.js';
export * from './paired-cell.js';
