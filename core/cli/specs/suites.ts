import type { CommandSpec } from '../flag-table.js';

/** `compbench suites list`. */
export const SUITES_LIST_SPEC = {
  name: 'suites list',
  summary: 'the bundled suites and the suites in each DIR',
  synopsis: '[DIR...]',
  positionals: { min: 0, max: Infinity },
  flags: {},
  example: 'compbench suites list suites',
} as const satisfies CommandSpec;

/** `compbench suites validate`. */
export const SUITES_VALIDATE_SPEC = {
  name: 'suites validate',
  summary: 'every problem of the suite(s) at PATH, with file, line and JSON path',
  synopsis: 'PATH [--model DIR]',
  positionals: { min: 1, max: 1 },
  flags: {
    model: { type: 'string', value: 'DIR', help: "also list every instance too long for that model's context" },
  },
  example: 'compbench suites validate suites/reasoning --model datasets/models/teacher',
} as const satisfies CommandSpec;

/** `compbench suites init`. */
export const SUITES_INIT_SPEC = {
  name: 'suites init',
  summary: 'a starting suite in DIR that validates (format: suites/FORMAT.md)',
  synopsis: 'DIR --kind generate|multiple_choice|rolling|pair [--id ID] [--role ROLE] [--closed-book-twin ID]',
  positionals: { min: 1, max: 1 },
  flags: {
    kind: { type: 'string', value: 'generate|multiple_choice|rolling|pair', default: 'required', help: 'the request kind of the suite' },
    id: { type: 'string', value: 'ID', default: "DIR's name", help: 'suite id' },
    role: { type: 'string', value: 'ROLE', default: 'by kind', help: 'what the suite measures (suites/FORMAT.md lists the roles)' },
    'closed-book-twin': { type: 'string', value: 'ID', help: 'the closed-book suite this open-book one mirrors' },
  },
  example: 'compbench suites init my-suite --kind multiple_choice',
} as const satisfies CommandSpec;

/** `compbench suites convert`. */
export const SUITES_CONVERT_SPEC = {
  name: 'suites convert',
  summary: 'a public dataset (CrowS-Pairs CSV, GSM8K JSONL) as a suite folder',
  synopsis: 'crows-pairs|gsm8k --in FILE --out DIR [--limit N] [--shots K]',
  positionals: { min: 1, max: 1 },
  flags: {
    in: { type: 'string', value: 'FILE', default: 'required', help: 'the dataset file' },
    out: { type: 'string', value: 'DIR', default: 'required', help: 'the suite folder to write' },
    limit: { type: 'string', value: 'N', default: 'all', help: 'only the first N items' },
    shots: { type: 'string', value: 'K', default: '0', help: 'gsm8k: K worked examples before each question (from 50 held-out items)' },
  },
  example: 'compbench suites convert gsm8k --in test.jsonl --out my-gsm8k --shots 4',
} as const satisfies CommandSpec;

/** `compbench suites`: suites as data. */
export const SUITES_SPEC = {
  name: 'suites',
  summary: 'list, validate, start and convert suites (suites as data: suites/FORMAT.md)',
  synopsis: 'list|validate|init|convert ...',
  positionals: { min: 0, max: 0 },
  flags: {},
  example: 'compbench suites validate suites/reasoning',
  subcommands: [SUITES_LIST_SPEC, SUITES_VALIDATE_SPEC, SUITES_INIT_SPEC, SUITES_CONVERT_SPEC],
} as const satisfies CommandSpec;
