import type { CommandSpec } from '../flag-table.js';

/** `compbench init`: a starter config and policy. */
export const INIT_SPEC = {
  name: 'init',
  summary: 'write a starter run config and gate policy that run as they are on the bundled models',
  synopsis: '[DIR]',
  positionals: { min: 0, max: 1 },
  flags: {},
  example: 'compbench init my-eval',
  details: [
    'Writes DIR/compbench.config.json (models, methods, suites, measurement, gate policy; notes for each',
    'field in its "$comment") and DIR/gate-policy.json (one rule per suite, each explained). DIR defaults',
    'to the current folder. Existing files are never overwritten (exit 2).',
  ],
} as const satisfies CommandSpec;
