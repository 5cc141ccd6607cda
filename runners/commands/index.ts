export { generateCommand, GENERATE_USAGE } from './generate.js';
export { integerFlag, parseFlags } from './parse-flags.js';
