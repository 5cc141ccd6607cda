export * from './json-lines.js';
export * from './suggest.js';
export * from './validate.js';
