import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, messageOf } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { assertRunFinished } from '../core/run-state.js';
import { RUN_RECORD_VERSION, type RunRecord } from '../core/run-record.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../core/schemas/validate.js';

/** One line of a run's `instances.jsonl`, as the reports read it (plain JSON). */
export interface InstanceLine {
  readonly variantId: string;
  readonly suiteId: string;
  readonly instanceId: string;
  readonly instanceHash?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly groupId?: string;
  readonly state: 'scored' | 'errored';
  readonly scores?: Readonly<Record<string, number>>;
  readonly answer?: string;
  /** The prompt the model saw, when the runner recorded it. */
  readonly prompt?: string;
  readonly outcome?: Readonly<Record<string, unknown>> & { readonly kind?: string };
  readonly reasons?: Readonly<Record<string, string>>;
  readonly error?: string;
  /** A suite's `templateVariants` id the line was scored under; absent: the primary template. */
  readonly template?: string;
}

/** A run folder read back: its record and per-instance lines. */
export interface LoadedRun {
  readonly dir: string;
  readonly record: RunRecord;
  /** The primary template's lines (run.json's `templateSensitivity` summarizes the template variants' lines). */
  readonly instances: readonly InstanceLine[];
}

/**
 * Run-record versions this report generator renders. A record of another version fails
 * with one line naming the version and the fix, never a stack trace.
 */
export const READABLE_VERSIONS: readonly number[] = [RUN_RECORD_VERSION];

let schemaCheck: SchemaCheck | undefined;

/**
 * Reads `run.json` (version-checked, then validated against the run-record schema) and
 * `instances.jsonl` (optional: without it, flips and examples say so) from a run folder.
 * A folder whose run did not finish, or whose run.json is an earlier run's, is refused.
 * Every problem is an InputError with the file and the fix.
 */
export function loadRun(dir: string): LoadedRun {
  const file = join(dir, 'run.json');
  assertRunFinished(dir);
  if (!existsSync(file)) throw new InputError(`${file} not found; pass a run folder written by 'compbench run'`);
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${messageOf(e)}); the run record is damaged, re-run 'compbench run'`);
  }
  checkVersion(file, value);
  schemaCheck ??= compileSchema(JSON.parse(readFileSync(packagePath('core', 'schemas', 'run-record.schema.json'), 'utf8')) as object);
  const problems = schemaCheck(value, { file, text });
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
    throw new InputError(`${formatProblem(problems[0])}${more}`);
  }
  assertRunFinished(dir, (value as RunRecord).runId);
  // Flips, examples and fairness read the primary template only, as the cells do.
  const instances = readInstances(join(dir, 'instances.jsonl')).filter((l) => l.template === undefined);
  return { dir, record: value as RunRecord, instances };
}

function checkVersion(file: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${file}: expected a JSON object (a compbench run record)`);
  }
  const record = value as { tool?: unknown; schemaVersion?: unknown };
  if (record.tool !== 'compbench') throw new InputError(`${file}: field 'tool' is ${JSON.stringify(record.tool) ?? 'missing'}, expected "compbench"; this is not a compbench run record`);
  const version = record.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new InputError(`${file}: field 'schemaVersion' is ${JSON.stringify(version) ?? 'missing'}; expected an integer (this report reads ${READABLE_VERSIONS.join(', ')})`);
  }
  if (!READABLE_VERSIONS.includes(version)) {
    const fix = version > RUN_RECORD_VERSION
      ? 'render it with the newer compbench that wrote it'
      : `re-run the matrix with this compbench, or render it with the compbench release that wrote version ${version}`;
    throw new InputError(`${file}: run record schemaVersion ${version} is not readable by this report (reads ${READABLE_VERSIONS.join(', ')}); ${fix}`);
  }
}

function readInstances(file: string): InstanceLine[] {
  if (!existsSync(file)) return [];
  const lines: InstanceLine[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      lines.push(JSON.parse(line) as InstanceLine);
    } catch (e) {
      throw new InputError(`${file}:${i + 1}: not valid JSON (${messageOf(e)}); the instances file is damaged, re-run 'compbench run'`);
    }
  });
  return lines;
}
