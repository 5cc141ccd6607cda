import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { readJsonl, readTextFile } from '../../core/jsonl.js';
import { packagePath } from '../../core/paths.js';
import { assertRunFinished } from '../../core/run-state.js';
import { RUN_RECORD_VERSION, type RunRecord } from '../../core/run-record.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../../core/schemas/validate.js';

/** The fields of one `instances.jsonl` line that comparisons read (see suites/score.ts). */
export interface InstanceLine {
  readonly variantId: string;
  readonly suiteId: string;
  readonly instanceId: string;
  /** sha256 of the instance data: two runs' lines pair only when ids and hashes match. */
  readonly instanceHash: string;
  readonly state: 'scored' | 'errored';
  /** Score per metric (scored lines only; empty for errored ones). */
  readonly scores: Readonly<Record<string, number>>;
  /** The instance's group of near-duplicates (a counterfactual item), when its suite has groups. */
  readonly groupId?: string;
}

/** A run folder read from disk: the validated run.json and, when present, its instances. */
export interface LoadedRun {
  readonly dir: string;
  readonly runJsonPath: string;
  /** The exact bytes of run.json, for content hashing. */
  readonly runJsonText: string;
  readonly record: RunRecord;
  /** null when the folder has no instances.jsonl (paired statistics are then unavailable). */
  readonly instances: readonly InstanceLine[] | null;
}

let schemaCheck: SchemaCheck | undefined;

function runRecordCheck(): SchemaCheck {
  if (!schemaCheck) {
    const schema = JSON.parse(readFileSync(packagePath('core', 'schemas', 'run-record.schema.json'), 'utf8')) as object;
    schemaCheck = compileSchema(schema);
  }
  return schemaCheck;
}

/**
 * Reads and validates `DIR/run.json` against `core/schemas/run-record.schema.json`.
 * Throws one-line InputErrors: missing folder or file, malformed JSON, a schemaVersion
 * newer than this compbench understands, the first schema violation (with its path), or
 * a folder whose run did not finish or whose run.json is an earlier run's.
 */
export function readRunRecord(dir: string): { record: RunRecord; path: string; text: string } {
  if (!existsSync(dir)) throw new InputError(`${dir}: run folder not found — give a folder holding run.json`);
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir}: not a folder — give the run folder that holds run.json`);
  assertRunFinished(dir);
  const path = join(dir, 'run.json');
  if (!existsSync(path)) throw new InputError(`${path}: file not found — is ${dir} a compbench run folder?`);
  const text = readTextFile(path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: malformed JSON (${e instanceof Error ? e.message : String(e)}) — rewrite the run with 'compbench run'`);
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > RUN_RECORD_VERSION) {
    throw new InputError(
      `${path}: schemaVersion ${version} is newer than this compbench reads (${RUN_RECORD_VERSION}); upgrade compbench to compare or record this run`,
    );
  }
  const problems = runRecordCheck()(value, { file: path, text });
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new InputError(`invalid run record: ${formatProblem(problems[0])}${more}`);
  }
  assertRunFinished(dir, (value as RunRecord).runId);
  return { record: value as RunRecord, path, text };
}

/** Reads a run folder: validated run.json plus instances.jsonl when it exists. */
export function loadRunDir(dir: string): LoadedRun {
  const { record, path, text } = readRunRecord(dir);
  const instancesPath = join(dir, 'instances.jsonl');
  const instances = existsSync(instancesPath) ? readInstances(instancesPath) : null;
  return { dir, runJsonPath: path, runJsonText: text, record, instances };
}

/** Parses instances.jsonl, checking on each line the fields that pairing needs. */
export function readInstances(file: string): InstanceLine[] {
  // Lines scored under a suite's template variants never pair with the primary template's cells.
  const primary = readJsonl(file).filter(({ value }) => typeof value !== 'object' || value === null || !('template' in value));
  return primary.map(({ line, value }) => {
    const v = value as Partial<Record<keyof InstanceLine, unknown>> | null;
    const where = `${file}:${line}`;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(`${where}: expected a JSON object per line`);
    for (const field of ['variantId', 'suiteId', 'instanceId', 'instanceHash'] as const) {
      if (typeof v[field] !== 'string') throw new InputError(`${where}: field '${field}' must be a string — was this file written by 'compbench run'?`);
    }
    if (v.state !== 'scored' && v.state !== 'errored') throw new InputError(`${where}: field 'state' must be 'scored' or 'errored'`);
    const scores: Record<string, number> = {};
    if (v.state === 'scored') {
      if (typeof v.scores !== 'object' || v.scores === null) throw new InputError(`${where}: a scored line needs an object 'scores'`);
      for (const [metric, score] of Object.entries(v.scores)) if (typeof score === 'number') scores[metric] = score;
    }
    return {
      variantId: v.variantId as string,
      suiteId: v.suiteId as string,
      instanceId: v.instanceId as string,
      instanceHash: v.instanceHash as string,
      state: v.state,
      scores,
      ...(typeof v.groupId === 'string' ? { groupId: v.groupId } : {}),
    };
  });
}
