import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { acquireRunLock, ensureOutDir, runMatrix, type MatrixOptions, type MatrixResult, type RunLock } from '../matrix/index.js';
import { summaryLines } from '../run/summary-table.js';
import { queueExecutor } from '../executors/queue/index.js';
import { integerFlag, parseFlags } from './parse-flags.js';

/** Exit codes of `compbench run` (1 is set by the CLI when the gate fails). */
export const RUN_EXIT_CODES = { ok: 0, gateFailed: 1, invalidInput: 2, incomplete: 3 } as const;

/** Usage text of `compbench run`. */
export const RUN_USAGE = `usage: compbench run [--config FILE] [--out DIR] [--resume] [--workers N] [--limit N] [--cache-dir DIR] [--all-templates] [--queue URL] [--history DB] [--quiet | --json]
  Evaluates every variant (models as they are, and each compression method × params of
  the config) on every suite, then measures speed, memory and energy, and writes
  DIR/run.json (run record) and DIR/instances.jsonl (per-instance outcomes).
  --config FILE   run config (JSON, core/schemas/run-config.schema.json); default: the
                  bundled runners/matrix/default-config.json (teacher and student on the corpus suites, stories260K on the TinyStories suites, QAT-recovered teachers at 3 and 2 bits; 41 variants incl. 8 on llama.cpp)
  --out DIR       output folder (default runs/latest); one run at a time (DIR/run.lock), and an
                  earlier run's record there moves to DIR/previous-run/
  --resume        finish the interrupted run in DIR (same config)
  --workers N     worker threads (default: cores; intra-op threads = cores / workers)
  --limit N       only the first N instances of each suite
  --cache-dir DIR variant and result cache (default .cache/compbench in the package)
  --all-templates score every variant under every template of a suite's "templateVariants"
                  and report each Δ per template (default: only the parents of comparisons
                  are scored under them, for the spread beside each Δ; docs/templates.md)
  --queue URL     evaluate shards through BullMQ on Redis (redis://HOST:PORT/DB) by
                  'compbench worker' processes on any machine that mounts the cache folder
                  (runners/executors/queue/README.md); same records as a local run
  --history DB    also append the run to a history store (SQLite), e.g. runs/history.sqlite
  --quiet         no progress; only the verdict line and the report's path
  --json          one JSON object on stdout at the end (verdict, exit code, counts, failing
                  rules by variant, paths); progress goes to stderr
  Afterwards the gate (config.gatePolicy; default: derived from the roles of the run's
  suites) and the report (DIR/report/report.html) run on the record. The terminal gets a
  short summary (failing rules, one line per variant); every rule is in DIR/gate.txt and
  every suite × metric × variant line in DIR/summary.txt.
  Exit codes: 0 ok, 1 gate failed, 2 invalid input, 3 incomplete (a cell failed).`;

/** How the end of a run is printed: a short summary, the verdict only, or one JSON object. */
export type RunOutput = 'text' | 'quiet' | 'json';

/**
 * A finished matrix and the lock of its `--out`, held until the caller has gated and
 * reported; `output` and `log` say how and where the caller prints.
 */
export type LockedRun = MatrixResult & { readonly lock: RunLock; readonly output: RunOutput; readonly log: (line: string) => void };

/**
 * Parses the flags of `compbench run` and runs the matrix with the `--out` lock taken;
 * the caller releases it (it also goes when the process exits). Undefined when only
 * help was asked.
 */
export async function runFromArgs(args: readonly string[], out: (line: string) => void, precheck?: MatrixOptions['precheck']): Promise<LockedRun | undefined> {
  const { values } = parseFlags('run', args, {
    config: { type: 'string' },
    out: { type: 'string', default: 'runs/latest' },
    resume: { type: 'boolean', default: false },
    workers: { type: 'string' },
    limit: { type: 'string' },
    'cache-dir': { type: 'string' },
    'all-templates': { type: 'boolean', default: false },
    queue: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
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
    return { ...(await runMatrix(options, log)), lock, output, log };
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
