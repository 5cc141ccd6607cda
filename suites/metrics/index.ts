export * from './types.js';
export * from './normalize.js';
export * from './generation.js';
export * from './numeric.js';
export * from './choice.js';
export * from './rolling.js';
export * from './pair.js';
export * from './registry.js';
