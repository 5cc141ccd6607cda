import type { CommandSpec } from '../flag-table.js';

/** `compbench compare`. */
export const COMPARE_SPEC = {
  name: 'compare',
  summary: 'what changed from run A to run B: config, hashes, every cell with paired statistics, measurements',
  synopsis: 'RUN_A RUN_B [--json] [--seed N]',
  positionals: { min: 2, max: 2 },
  flags: {
    json: { type: 'boolean', help: 'the comparison as one JSON document' },
    seed: { type: 'string', value: 'N', default: '0', help: 'bootstrap seed' },
  },
  example: 'compbench compare runs/latest/previous-run runs/latest',
  details: [
    'What changed from run A to run B (two nights, or two harness versions): harness, config (as JSON',
    'paths), hardware, suite and model hashes, then every variant × suite × metric: A value [95% CI],',
    'B value [CI], Δ = B − A, and on instances present in both runs with the same id and hash, the paired',
    "bootstrap Δ CI and, for 0/1 metrics, flips and McNemar's exact p; then measurements: prefill and",
    'decode p50/p90/p95/p99, tokens/s, peak RSS and energy of each variant, each side\'s provenance',
    "(measured or replayed, energy counter or estimate) and whether Δ exceeds the runs' within-run spread.",
    'Exit 0, or 2 on invalid input.',
  ],
} as const satisfies CommandSpec;
