import { accessSync, constants, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { findSuiteDirs } from '../../suites/index.js';
import { evaluateModels, type ModelSpec } from '../run/evaluate-models.js';
import { summaryLines } from '../run/summary-table.js';
import { integerFlag, parseFlags } from './parse-flags.js';

/** Usage text of `compbench run`. */
export const RUN_USAGE = `usage: compbench run [--out DIR] [--suites DIR]... [--model ID=DIR]... [--limit N] [--seed N] [--threads N]
  Evaluates the models on the suites and writes DIR/run.json (run record) and
  DIR/instances.jsonl (per-instance outcomes). The first model is the baseline.
  Defaults: the bundled teacher and its distilled student, every bundled suite, --out runs/latest.`;

/** The bundled models: the teacher is the baseline, the student was distilled from it. */
export function bundledModels(): ModelSpec[] {
  return [
    { id: 'teacher', dir: packagePath('datasets', 'models', 'teacher') },
    { id: 'student', dir: packagePath('datasets', 'models', 'student'), distilledFrom: 'teacher' },
  ];
}

/** `compbench run`: evaluates, writes the run record, prints a summary; returns the exit code. */
export async function runCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseFlags('run', args, {
    out: { type: 'string', default: 'runs/latest' },
    suites: { type: 'string', multiple: true },
    model: { type: 'string', multiple: true },
    limit: { type: 'string' },
    seed: { type: 'string' },
    threads: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    out(RUN_USAGE);
    return 0;
  }
  const outDir = resolve(values.out ?? 'runs/latest');
  ensureWritable(outDir);
  const models = values.model ? values.model.map(parseModelFlag) : bundledModels();
  const suiteDirs = (values.suites ?? [packagePath('suites')]).flatMap((d) => {
    if (!existsSync(d)) throw new InputError(`--suites ${d}: not found; give a suite folder or a folder of suites`);
    const found = findSuiteDirs(d);
    if (found.length === 0) throw new InputError(`--suites ${d}: no suite.json in it or its subfolders`);
    return found;
  });
  const limit = values.limit === undefined ? undefined : integerFlag('limit', values.limit, 0);
  if (limit === 0) throw new InputError('--limit must be at least 1');
  const result = await evaluateModels(
    { models, suiteDirs, limit, seed: integerFlag('seed', values.seed, 1234), intraOpNumThreads: Math.max(1, integerFlag('threads', values.threads, 2)) },
    (line) => out(line),
  );
  writeAtomically(join(outDir, 'instances.jsonl'), result.instances.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeAtomically(join(outDir, 'run.json'), `${JSON.stringify(result.record, null, 1)}\n`);
  for (const line of summaryLines(result.record)) out(line);
  out(`wrote ${join(outDir, 'run.json')} and instances.jsonl${result.record.complete ? '' : ' (INCOMPLETE: some cells failed)'}`);
  return result.record.complete ? 0 : 3;
}

function parseModelFlag(value: string, index: number): ModelSpec {
  const eq = value.indexOf('=');
  const id = eq > 0 ? value.slice(0, eq) : `model${index}`;
  const dir = resolve(eq > 0 ? value.slice(eq + 1) : value);
  if (!/^[A-Za-z0-9._-]+$/u.test(id)) throw new InputError(`--model ${value}: the id must be letters, digits, '.', '_' or '-' (e.g. --model base=./my-model)`);
  return { id, dir };
}

function ensureWritable(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new InputError(`--out ${dir}: output folder is not writable (${messageOf(e)}); choose another folder with --out`);
  }
}

/** Writes via a temporary file and a rename, so a full disk never leaves a half-written file. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${messageOf(e)}; free disk space or choose another --out`);
  }
}
