import type { CommandSpec } from '../flag-table.js';

/** `compbench run`: the matrix, then the gate and the report. */
export const RUN_SPEC = {
  name: 'run',
  summary: 'evaluate every model and compressed variant on every suite, measure, gate and report',
  synopsis: '[--config FILE] [--out DIR] [--resume] [--workers N] [--limit N] [--cache-dir DIR] [--queue URL] [--history DB] [--quiet | --json]',
  positionals: { min: 0, max: 0 },
  flags: {
    config: { type: 'string', value: 'FILE', default: 'runners/matrix/default-config.json (the bundled models, 41 variants incl. 8 on llama.cpp)', help: 'run config (JSON, core/schemas/run-config.schema.json; compbench init writes a starter)' },
    out: { type: 'string', value: 'DIR', initial: 'runs/latest', help: "output folder; one run at a time (DIR/run.lock); an earlier run's record there moves to DIR/previous-run/" },
    resume: { type: 'boolean', help: 'finish the interrupted run in DIR (same config)' },
    workers: { type: 'string', value: 'N', default: 'cores; intra-op threads = cores / workers', help: 'worker threads' },
    limit: { type: 'string', value: 'N', default: 'all', help: 'only the first N instances of each suite' },
    'cache-dir': { type: 'string', value: 'DIR', default: '.cache/compbench in the package', help: 'variant and result cache' },
    'all-templates': { type: 'boolean', help: "score every variant under every template of a suite's templateVariants and report each Δ per template (default: only the parents of comparisons, for the spread beside each Δ; docs/templates.md)" },
    queue: { type: 'string', value: 'URL', default: 'local worker threads', help: "evaluate shards through BullMQ on Redis (redis://HOST:PORT/DB) by 'compbench worker' processes (docs/queue.md)" },
    history: { type: 'string', value: 'DB', help: 'also append the run to a history store (SQLite), e.g. runs/history.sqlite' },
    quiet: { type: 'boolean', help: "no progress; only the verdict line and the report's path" },
    json: { type: 'boolean', help: 'one JSON object on stdout at the end (verdict, exit code, counts, failing rules, paths); progress goes to stderr' },
  },
  example: 'compbench run --config runners/matrix/default-config.json --out runs/latest --limit 20',
  details: [
    'Evaluates every variant (models as they are, and each compression method × params of the config) on',
    'every suite, then measures speed, memory and energy, and writes DIR/run.json (run record) and',
    'DIR/instances.jsonl (per-instance outcomes). Afterwards the gate (config.gatePolicy; default: derived',
    "from the roles of the run's suites) and the report (DIR/report/report.html) run on the record. The",
    'terminal gets a short summary (failing rules, one line per variant); every rule is in DIR/gate.txt and',
    'every suite × metric × variant line in DIR/summary.txt.',
    'Exit codes: 0 ok, 1 gate failed, 2 invalid input, 3 incomplete (a cell failed).',
  ],
} as const satisfies CommandSpec;
