import type { CommandSpec } from '../flag-table.js';

/** `compbench gate`. */
export const GATE_SPEC = {
  name: 'gate',
  summary: "apply a gate policy to a finished run: exit 0 pass, 1 fail, 2 invalid input",
  synopsis: 'RUN_DIR [--policy FILE] [--print-policy]',
  positionals: { min: 1, max: 1 },
  flags: {
    policy: { type: 'string', value: 'FILE', default: "derived from the roles and primary metrics of the run's suites", help: 'gate policy (core/schemas/gate-policy.schema.json)' },
    'print-policy': { type: 'boolean', help: 'print the policy as JSON (a starting point for FILE) and gate nothing' },
  },
  example: 'compbench gate runs/latest --policy reports/gate/bundled-policy.json',
  details: [
    'Applies a gate policy to RUN_DIR/run.json, prints one line per rule and a verdict, and writes the',
    "verdict into run.json's \"gate\" field. Fail-closed: a missing, errored or under-sampled cell fails its rule.",
    'A folder whose run did not finish, or whose run.json is an earlier run\'s, is refused (exit 2).',
    'Default policy: non-inferiority per suite, worst-slice rules for fairness, word NLL for rare words;',
    "latency and memory only when the run measured them. The bundled suites' policy: reports/gate/bundled-policy.json.",
  ],
} as const satisfies CommandSpec;
