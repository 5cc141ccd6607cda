import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { decodeUtf8 } from '../core/utf8.js';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { DEFAULT_FEWSHOT_SEED, sampleShots } from './fewshot.js';
import { parseInstances } from './instances.js';
import { REQUEST_KINDS } from './kinds/registry.js';
import type { Instance, InstanceRequests, LoadedSuite } from './spec.js';
import { checkSpecText } from './spec-check.js';
import type { TemplatePart } from './template.js';

/** Problems shown per file; the rest are counted in one closing line. */
export const MAX_PROBLEMS_PER_FILE = 50;

/** A suite's validation: the suite when it loads cleanly, and every problem found. */
export interface SuiteValidation {
  /** Absolute path of the suite.json that was checked (as far as it was found). */
  readonly file: string;
  readonly suite?: LoadedSuite;
  /**
   * One line each: `FILE[:LINE]: <json path>: <message> — <fix>`; at most
   * {@link MAX_PROBLEMS_PER_FILE} per file, then one line counting the rest.
   */
  readonly problems: readonly string[];
  /** Every problem found, shown or not. */
  readonly problemCount: number;
}

/** suite.json inside a folder, or the file itself. */
export function suiteFileOf(path: string): string {
  const abs = resolve(path);
  return existsSync(abs) && statSync(abs).isDirectory() ? join(abs, 'suite.json') : abs;
}

/**
 * Checks a suite (a folder holding suite.json, or the suite.json itself; anywhere on
 * disk) and collects ALL problems of every file at once: JSON syntax, schema,
 * metric/kind/role fit, template, malformed JSONL lines, instance fields, duplicate ids,
 * empty dataset, slice tags no instance carries, too small a few-shot split. An invalid
 * suite.json still lets the dataset's own checks run. For `compbench suites validate`.
 */
export function validateSuite(path: string): SuiteValidation {
  const file = suiteFileOf(path);
  if (!existsSync(file)) {
    return done(file, [`${file}: no suite.json here — give a suite folder or the path of its suite.json`]);
  }
  const specDecoded = decodeUtf8(readFileSync(file), file);
  if ('problem' in specDecoded) return done(file, [specDecoded.problem]);
  const specText = specDecoded.text;
  const checked = checkSpecText(specText, file);
  const dir = dirname(file);
  const problems = new Problems();
  const hash = createHash('sha256').update(specText);
  if (checked.state === 'invalid') {
    problems.add(file, checked.problems);
    lenientDataCheck(checked.value, dir, file, problems);
    return done(file, problems.lines(), problems.count);
  }
  const { spec, template } = checked;
  const dataProblems: string[] = [];
  const dataset = readData(resolve(dir, spec.dataset), `${file}: $.dataset`, dataProblems);
  problems.add(file, dataProblems);
  if (dataset === undefined) return done(file, problems.lines(), problems.count);
  hash.update(dataset.text);
  const parsed = parseInstances(dataset.text, dataset.file, spec, template);
  problems.add(dataset.file, parsed.problems);
  if (parsed.instances.length === 0 && parsed.problems.length === 0) {
    problems.add(dataset.file, [`${dataset.file}: $: the dataset holds no instances — add one JSON object per line`]);
  }
  const sliceProblems: string[] = [];
  for (const tag of spec.slices ?? []) {
    if (parsed.instances.length > 0 && !parsed.instances.some((i) => i.tags[tag] !== undefined)) {
      sliceProblems.push(`${file}: $.slices: no instance carries the tag '${tag}' — add "tags": {"${tag}": …} to instances or remove it from "slices"`);
    }
  }
  problems.add(file, sliceProblems);
  const shotProblems: string[] = [];
  const shots = sampleAllShots(spec.fewShot, dir, parsed.instances, spec, template, shotProblems, hash);
  problems.add(spec.fewShot ? resolve(dir, spec.fewShot.split) : file, shotProblems);
  if (problems.count > 0) return done(file, problems.lines(), problems.count);
  const suite: LoadedSuite = { spec, file, dir, template, instances: parsed.instances, shots, hash: hash.digest('hex') };
  return { file, suite, problems: [], problemCount: 0 };
}

function done(file: string, problems: readonly string[], count = problems.length): SuiteValidation {
  return { file, problems, problemCount: count };
}

/** Problems grouped by file, in the order files were first seen, capped per file. */
class Problems {
  private readonly byFile = new Map<string, string[]>();
  count = 0;

  add(file: string, problems: readonly string[]): void {
    if (problems.length === 0) return;
    const list = this.byFile.get(file) ?? [];
    list.push(...problems);
    this.byFile.set(file, list);
    this.count += problems.length;
  }

  lines(): string[] {
    return [...this.byFile].flatMap(([file, list]) =>
      list.length <= MAX_PROBLEMS_PER_FILE
        ? list
        : [...list.slice(0, MAX_PROBLEMS_PER_FILE), `${file}: … and ${list.length - MAX_PROBLEMS_PER_FILE} more problems in this file (${list.length} in all) — fix these and validate again`],
    );
  }
}

/** With suite.json invalid: the dataset's JSONL syntax, objects, ids, tags and groups, when its path can be read. */
function lenientDataCheck(value: unknown, dir: string, file: string, problems: Problems): void {
  if (typeof value !== 'object' || value === null) return;
  const raw = value as { dataset?: unknown; idField?: unknown; groupField?: unknown };
  if (typeof raw.dataset !== 'string' || !raw.dataset.endsWith('.jsonl')) return;
  const found: string[] = [];
  const dataset = readData(resolve(dir, raw.dataset), `${file}: $.dataset`, found);
  problems.add(file, found);
  if (dataset === undefined) return;
  const spec = {
    ...(typeof raw.idField === 'string' ? { idField: raw.idField } : {}),
    ...(typeof raw.groupField === 'string' ? { groupField: raw.groupField } : {}),
  };
  problems.add(dataset.file, parseInstances(dataset.text, dataset.file, spec, []).problems);
}

/**
 * Loads a suite, throwing an {@link InputError} with the first problem (and how many
 * more there are) when it is not valid.
 */
export function loadSuite(path: string): LoadedSuite {
  const v = validateSuite(path);
  if (v.suite) return v.suite;
  const more = v.problemCount - 1;
  throw new InputError(more > 0 ? `${v.problems[0]} (+${more} more: run \`compbench suites validate ${path}\`)` : v.problems[0]);
}

/** The requests of every instance, in instance order (the kind registry builds them). */
export function buildRequests(suite: LoadedSuite): InstanceRequests[] {
  const kind = REQUEST_KINDS[suite.spec.kind];
  const template = suite.template;
  return suite.instances.map((instance) => ({
    instanceId: instance.id,
    requests: kind.buildRequests({ spec: suite.spec, template, instance, shots: suite.shots.get(instance.id) ?? [] }),
  }));
}

function readData(file: string, where: string, problems: string[]): { file: string; text: string } | undefined {
  if (!existsSync(file) || statSync(file).isDirectory()) {
    problems.push(`${where}: dataset file ${file} not found — the path is relative to suite.json`);
    return undefined;
  }
  const decoded = decodeUtf8(readFileSync(file), file);
  if ('problem' in decoded) {
    problems.push(decoded.problem);
    return undefined;
  }
  return { file, text: decoded.text };
}

function sampleAllShots(
  fewShot: LoadedSuite['spec']['fewShot'],
  dir: string,
  instances: readonly Instance[],
  spec: LoadedSuite['spec'],
  template: readonly TemplatePart[],
  problems: string[],
  hash: ReturnType<typeof createHash>,
): Map<string, Instance[]> {
  const shots = new Map<string, Instance[]>();
  if (!fewShot || fewShot.k === 0) return shots;
  const split = readData(resolve(dir, fewShot.split), `${dir}/suite.json: $.fewShot.split`, problems);
  if (split === undefined) return shots;
  hash.update(split.text);
  const pool = parseInstances(split.text, split.file, spec, template);
  problems.push(...pool.problems);
  for (const instance of instances) {
    const drawn = sampleShots(pool.instances, instance, fewShot.k, fewShot.seed ?? DEFAULT_FEWSHOT_SEED);
    if (drawn.length < fewShot.k) {
      problems.push(
        `${split.file}: $: fewShot.k is ${fewShot.k} but only ${drawn.length} usable examples remain for instance '${instance.id}' — add examples to the split or lower k`,
      );
      break;
    }
    shots.set(instance.id, drawn);
  }
  return shots;
}
