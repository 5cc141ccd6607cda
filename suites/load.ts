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

/** A suite's validation: the suite when it loads cleanly, and every problem found. */
export interface SuiteValidation {
  /** Absolute path of the suite.json that was checked (as far as it was found). */
  readonly file: string;
  readonly suite?: LoadedSuite;
  /** One line each: `FILE[:LINE]: <json path>: <message> — <fix>`. */
  readonly problems: readonly string[];
}

/** suite.json inside a folder, or the file itself. */
export function suiteFileOf(path: string): string {
  const abs = resolve(path);
  return existsSync(abs) && statSync(abs).isDirectory() ? join(abs, 'suite.json') : abs;
}

/**
 * Checks a suite (a folder holding suite.json, or the suite.json itself; anywhere on
 * disk) and collects ALL problems: JSON syntax, schema, metric/kind fit, template,
 * malformed JSONL lines, instance fields, duplicate ids, empty dataset, slice tags
 * no instance carries, too small a few-shot split. For `compbench suites validate`.
 */
export function validateSuite(path: string): SuiteValidation {
  const file = suiteFileOf(path);
  if (!existsSync(file)) {
    return { file, problems: [`${file}: no suite.json here — give a suite folder or the path of its suite.json`] };
  }
  const specDecoded = decodeUtf8(readFileSync(file), file);
  if ('problem' in specDecoded) return { file, problems: [specDecoded.problem] };
  const specText = specDecoded.text;
  const checked = checkSpecText(specText, file);
  if (checked.state === 'invalid') return { file, problems: checked.problems };
  const { spec, template } = checked;
  const dir = dirname(file);
  const problems: string[] = [];
  const hash = createHash('sha256').update(specText);

  const dataset = readData(resolve(dir, spec.dataset), `${file}: $.dataset`, problems);
  if (dataset === undefined) return { file, problems };
  hash.update(dataset.text);
  const parsed = parseInstances(dataset.text, dataset.file, spec, template);
  problems.push(...parsed.problems);
  if (parsed.instances.length === 0 && parsed.problems.length === 0) {
    problems.push(`${dataset.file}: $: the dataset holds no instances — add one JSON object per line`);
  }
  for (const tag of spec.slices ?? []) {
    if (parsed.instances.length > 0 && !parsed.instances.some((i) => i.tags[tag] !== undefined)) {
      problems.push(`${file}: $.slices: no instance carries the tag '${tag}' — add "tags": {"${tag}": …} to instances or remove it from "slices"`);
    }
  }
  const shots = sampleAllShots(spec.fewShot, dir, parsed.instances, spec, template, problems, hash);
  if (problems.length > 0) return { file, problems };
  const suite: LoadedSuite = { spec, file, dir, template, instances: parsed.instances, shots, hash: hash.digest('hex') };
  return { file, suite, problems };
}

/**
 * Loads a suite, throwing an {@link InputError} with the first problem (and how many
 * more there are) when it is not valid.
 */
export function loadSuite(path: string): LoadedSuite {
  const v = validateSuite(path);
  if (v.suite) return v.suite;
  const more = v.problems.length - 1;
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
