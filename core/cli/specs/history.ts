import type { CommandSpec } from '../flag-table.js';

/** `compbench history`. */
export const HISTORY_SPEC = {
  name: 'history',
  summary: 'record nightly runs in a SQLite store and flag what changed against the last accepted night',
  synopsis: '[--db FILE] [--add RUN_DIR]... [--accept RUN_ID --note TEXT] [--runs N] [--cell VARIANT/SUITE/METRIC] [--k K] [--tolerance T] [--max-flip-rate R] [--fail-on-regression]',
  positionals: { min: 0, max: 0 },
  flags: {
    db: { type: 'string', value: 'FILE', default: 'runs/history.sqlite', help: 'the history store' },
    add: { type: 'string', value: 'RUN_DIR', multiple: true, help: 'record a night (idempotent) and compare it with the last accepted night; may be repeated' },
    accept: { type: 'string', value: 'RUN_ID', help: 'sign off a flagged night (needs --note): later nights compare with it' },
    note: { type: 'string', value: 'TEXT', help: 'who signs the night off, and why' },
    runs: { type: 'string', value: 'N', default: '10', help: 'nights listed' },
    cell: { type: 'string', value: 'VARIANT/SUITE/METRIC', help: "one cell's trend (sparkline and values)" },
    k: { type: 'string', value: 'K', default: '5', help: 'measurement bands from the last K nights' },
    tolerance: { type: 'string', value: 'T', default: '0', help: 'flag a cell when the paired 95% CI of Δ lies wholly beyond ±T on the worse side' },
    'max-flip-rate': { type: 'string', value: 'R', default: '0.02', help: "flag a 0/1 cell when more than R of its instances flip" },
    'fail-on-regression': { type: 'boolean', help: 'exit 1 while the newest night is flagged and not signed off' },
  },
  example: 'compbench history --add runs/nightly --fail-on-regression',
  details: [
    'Compares the newest night with the last accepted night before it: first what changed (config,',
    'models, suites, harness, hardware); then every cell × metric paired by instance as compbench compare',
    'does; then latency, memory and energy against bands from really measured repeats (3·sd of ≥ 3',
    'measured nights among the last K, or the within-run repeats; replayed figures never narrow a band).',
    'A flagged night is not a reference until accepted. Exit 0; 1 with --fail-on-regression; 2 on invalid input.',
  ],
} as const satisfies CommandSpec;
