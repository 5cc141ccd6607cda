import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic, type WriteOrigin } from '../../core/atomic-write.js';
import { InfraError, InputError, messageOf } from '../../core/errors.js';
import { assertRunFinished } from '../../core/run-state.js';
import { packagePath } from '../../core/paths.js';
import type { GateVerdict, RunRecord } from '../../core/run-record.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../../core/schemas/validate.js';

/** Absolute path of the run record JSON Schema. */
export const RUN_RECORD_SCHEMA_FILE = packagePath('core', 'schemas', 'run-record.schema.json');

let compiled: SchemaCheck | undefined;

function check(value: unknown, file: string, text?: string): string[] {
  compiled ??= compileSchema(JSON.parse(readFileSync(RUN_RECORD_SCHEMA_FILE, 'utf8')) as object);
  return compiled(value, { file, ...(text === undefined ? {} : { text }) }).map(formatProblem);
}

/**
 * The run.json of a run folder (or the file itself when given a file), refusing a folder
 * whose run has not finished writing it (core/run-state.ts).
 */
export function runFileOf(runDir: string): string {
  if (!existsSync(runDir)) throw new InputError(`${runDir}: run folder not found; give the folder 'compbench run --out' wrote`);
  const file = statSync(runDir).isFile() ? runDir : join(runDir, 'run.json');
  assertRunFinished(dirname(file));
  if (!existsSync(file)) throw new InputError(`${runDir}: no run.json in it; give the folder 'compbench run --out' wrote`);
  return file;
}

/**
 * Reads and validates a run.json against `core/schemas/run-record.schema.json`, and checks
 * that it is the record of its folder's last run; InputError when it is not one.
 */
export function readRunRecord(file: string): RunRecord {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: malformed JSON (${messageOf(e)}); re-run 'compbench run' to rewrite it`);
  }
  const problems = check(value, file, text);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new InputError(`${file} is not a valid run record: ${problems[0]}${more}`);
  }
  assertRunFinished(dirname(file), (value as RunRecord).runId);
  return value as RunRecord;
}

/** `compbench gate` writes into the run folder it was given: no flag chooses another. */
const GATED_FOLDER: WriteOrigin = { flag: 'RUN_DIR', alternative: 'gate a writable copy of the run folder' };

/**
 * Writes the verdict into run.json's `gate` field, keeping every other field as read:
 * the record is re-read, checked, and replaced atomically (core/atomic-write.ts), so a
 * crash or a full disk leaves either the old or the new file, never half of one.
 */
export function writeGateVerdict(file: string, verdict: GateVerdict, origin: WriteOrigin = GATED_FOLDER): RunRecord {
  const record = { ...readRunRecord(file), gate: verdict };
  const problems = check(record, file);
  if (problems.length > 0) throw new InfraError(`gate verdict does not fit the run record schema: ${problems[0]}`);
  writeFileAtomic(file, `${JSON.stringify(record, null, 1)}\n`, origin);
  return record;
}
