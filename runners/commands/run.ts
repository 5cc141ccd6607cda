import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { acquireRunLock, ensureOutDir, runMatrix, type MatrixOptions, type MatrixResult, type RunLock } from '../matrix/index.js';
import { summaryLines } from '../run/summary-table.js';
import { queueExecutor } from '../executors/queue/index.js';
import { integerFlag } from './parse-flags.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { RUN_SPEC } from '../../core/cli/specs/run.js';

/** Exit codes of `compbench run` (1 is set by the CLI when the gate fails). */
export const RUN_EXIT_CODES = { ok: 0, gateFailed: 1, invalidInput: 2, incomplete: 3 } as const;

/** Usage text of `compbench run`. */
export const RUN_USAGE = commandUsage(RUN_SPEC);

/** How the end of a run is printed: a short summary, the verdict only, or one JSON object. */
export type RunOutput = 'text' | 'quiet' | 'json';

/**
 * A finished matrix and the lock of its `--out`, held until the caller has gated and
 * reported; `output` and `log` say how and where the caller prints.
 */
export type LockedRun = MatrixResult & { readonly lock: RunLock; readonly output: RunOutput; readonly log: (line: string) => void; readonly historyDb?: string };

/**
 * Parses the flags of `compbench run` and runs the matrix with the `--out` lock taken;
 * the caller releases it (it also goes when the process exits). Undefined when only
 * help was asked.
 */
export async function runFromArgs(args: readonly string[], out: (line: string) => void, precheck?: MatrixOptions['precheck']): Promise<LockedRun | undefined> {
  const { values } = parseCommandArgs(RUN_SPEC, args);
  if (values.help) {
    out(RUN_USAGE);
    return undefined;
  }
  const limit = values.limit === undefined ? undefined : integerFlag('limit', values.limit, 0);
  if (limit === 0) throw new InputError('--limit must be at least 1');
  const workers = values.workers === undefined ? undefined : integerFlag('workers', values.workers, 0);
  if (workers === 0) throw new InputError('--workers must be at least 1');
  // A malformed URL stops here, before the output folder is touched.
  const executor = values.queue === undefined ? undefined : queueExecutor(values.queue);
  const output: RunOutput = values.json ? 'json' : values.quiet ? 'quiet' : 'text';
  // stdout of --json holds the one object only, so the run's log goes to stderr.
  const log = output === 'quiet' ? (): void => {} : output === 'json' ? (line: string): void => void process.stderr.write(`${line}\n`) : out;
  const outDir = ensureOutDir(resolve(values.out ?? 'runs/latest'));
  const lock = acquireRunLock(outDir, log);
  const options: MatrixOptions = {
    ...(values.config ? { configFile: resolve(values.config) } : {}),
    outDir,
    lock,
    resume: values.resume ?? false,
    ...(workers ? { workers } : {}),
    ...(limit ? { limit } : {}),
    ...(values['cache-dir'] ? { cacheDir: resolve(values['cache-dir']) } : {}),
    ...(precheck ? { precheck } : {}),
    ...(executor ? { executor } : {}),
    ...(output === 'quiet' ? { progress: false } : {}),
    ...(values['all-templates'] ? { allTemplates: true } : {}),
  };
  try {
    // --history is appended by the caller after the gate (cli.ts).
    return { ...(await runMatrix(options, log)), lock, output, log, ...(values.history ? { historyDb: values.history } : {}) };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** `compbench run`: runs the matrix, prints a summary; returns the exit code (0 or 3). */
export async function runCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const result = await runFromArgs(args, out);
  if (!result) return RUN_EXIT_CODES.ok;
  result.lock.release();
  // Without the gate there is no verdict for --json or --quiet to print: the table goes where the log goes.
  for (const line of summaryLines(result.record)) result.log(line);
  result.log(`wrote ${join(result.outDir, 'run.json')} and instances.jsonl${result.record.complete ? '' : ' (INCOMPLETE: some cells failed)'}`);
  return result.record.complete ? RUN_EXIT_CODES.ok : RUN_EXIT_CODES.incomplete;
}
