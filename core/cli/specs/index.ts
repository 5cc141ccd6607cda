/** Every command's spec, in the order `compbench --help` lists them. */
import type { CommandSpec } from '../flag-table.js';
import { COMPARE_SPEC } from './compare.js';
import { COMPRESS_SPEC } from './compress.js';
import { EXPORT_SPEC } from './export.js';
import { GATE_SPEC } from './gate.js';
import { GENERATE_SPEC } from './generate.js';
import { HISTORY_SPEC } from './history.js';
import { IMPORT_SPEC } from './import.js';
import { INIT_SPEC } from './init.js';
import { REPORT_SPEC } from './report.js';
import { RUN_SPEC } from './run.js';
import { SUITES_SPEC } from './suites.js';
import { SYNTH_SPEC } from './synth.js';
import { QUEUE_SPEC, WORKER_SPEC } from './worker.js';

/** The commands of `compbench`, as data (their flags, defaults and examples). */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  INIT_SPEC, RUN_SPEC, GATE_SPEC, REPORT_SPEC, HISTORY_SPEC, COMPARE_SPEC, COMPRESS_SPEC, GENERATE_SPEC,
  SUITES_SPEC, IMPORT_SPEC, EXPORT_SPEC, SYNTH_SPEC, WORKER_SPEC, QUEUE_SPEC,
];
