import { InputError, isCompbenchError, messageOf, EXIT_INFRA } from './core/errors.js';
import { join, isAbsolute } from 'node:path';
import { packagePath } from './core/paths.js';
import type { LockedRun } from './runners/commands/run.js';
import { closestKnown, COMMAND_SPECS, overviewUsage } from './core/cli/index.js';

/** A subcommand: arguments after its name, a line printer for stdout; resolves to the exit code. */
type Command = (args: readonly string[], out: (line: string) => void) => Promise<number>;

/**
 * A command whose module is imported only when it runs: a `compbench worker` (started on
 * every worker machine, often inside a timed run) then loads BullMQ and the queue worker,
 * not the run, report, compress and history code (about half of the CLI's start-up).
 */
function lazy<M>(load: () => Promise<M>, pick: (module: M) => Command): Command {
  return async (args, out) => pick(await load())(args, out);
}

const COMMANDS = {
  generate: lazy(() => import('./runners/commands/generate.js'), (m) => m.generateCommand),
  run: runAndReport,
  suites: lazy(() => import('./runners/commands/suites.js'), (m) => m.suitesCommand),
  compress: lazy(() => import('./runners/commands/compress.js'), (m) => m.compressCommand),
  history: lazy(() => import('./reports/history/command.js'), (m) => m.historyCommand),
  compare: lazy(() => import('./reports/compare/command.js'), (m) => m.compareCommand),
  gate: lazy(() => import('./reports/gate/command.js'), (m) => m.gateCommand),
  report: lazy(() => import('./reports/command.js'), (m) => m.reportCommand),
  synth: lazy(() => import('./runners/commands/synth.js'), (m) => m.synthCommand),
  import: lazy(() => import('./runners/commands/import.js'), (m) => m.importCommand),
  export: lazy(() => import('./runners/commands/export.js'), (m) => m.exportCommand),
  worker: lazy(() => import('./runners/commands/worker.js'), (m) => m.workerCommand),
  queue: lazy(() => import('./runners/commands/worker.js'), (m) => m.queueCommand),
  init: lazy(() => import('./runners/commands/init.js'), (m) => m.initCommand),
} as const satisfies Record<string, Command>;

// Every command has its spec (flags, defaults, example) in core/cli/specs/, listed by --help.
const USAGE = overviewUsage(COMMAND_SPECS.filter((s) => s.name in COMMANDS));

/** What `compbench run` uses from runners and reports, imported when it runs (see {@link lazy}). */
async function runModules() {
  const [run, summaryTable, gate, runEnd, atomicWrite, history, render] = await Promise.all([
    import('./runners/commands/run.js'),
    import('./runners/run/summary-table.js'),
    import('./reports/gate/index.js'),
    import('./reports/run-end/index.js'),
    import('./core/atomic-write.js'),
    import('./reports/history/index.js'),
    import('./reports/render.js'),
  ]);
  return { ...run, ...summaryTable, ...gate, ...runEnd, ...atomicWrite, ...history, ...render };
}

/** The modules of {@link runModules}, as one namespace. */
type RunModules = Awaited<ReturnType<typeof runModules>>;

/**
 * `compbench run`: the matrix (runners), then the gate and the report (reports) on the
 * run record it wrote — the one place both sides meet. `--history DB` also appends the
 * run to the history store. Exit: 0 pass, 1 gate failed, 2 invalid input, 3 incomplete.
 */
async function runAndReport(args: readonly string[], out: (line: string) => void): Promise<number> {
  const m = await runModules();
  // The policy is checked with the rest of the matrix, before anything runs.
  const policyProblems = (config: { readonly gatePolicy?: unknown }): string[] => {
    try {
      // The default is derived from the run's suites after the run; a named one is read now.
      if (config.gatePolicy !== undefined && config.gatePolicy !== 'default') policyOf(m, config.gatePolicy);
      return [];
    } catch (e) {
      return [`$.gatePolicy: ${messageOf(e)}`];
    }
  };
  const result = await m.runFromArgs(args, out, policyProblems);
  if (!result) return m.RUN_EXIT_CODES.ok;
  try {
    return await gateAndReport(m, result, result.historyDb, out);
  } finally {
    result.lock.release();
  }
}

/**
 * The gate and the report on a finished run, while its `--out` lock is still held. The
 * full summary table and rule list go to DIR/summary.txt and DIR/gate.txt; the terminal
 * gets a short summary (`--quiet`: verdict and report; `--json`: one object).
 */
async function gateAndReport(m: RunModules, result: LockedRun, historyDb: string | undefined, out: (line: string) => void): Promise<number> {
  const { record, outDir, output, log } = result;
  const { RUN_EXIT_CODES } = m;
  const configured = record.config.gatePolicy;
  const { policy, source } = configured === undefined || configured === 'default' ? m.defaultPolicy(record) : policyOf(m, configured);
  const verdict = m.evaluateGate(record, policy, source);
  const runFile = join(outDir, 'run.json');
  m.writeGateVerdict(runFile, verdict, { flag: '--out' });
  const paths = { record: runFile, report: join(outDir, 'report', 'report.html'), gate: join(outDir, 'gate.txt'), summary: join(outDir, 'summary.txt') };
  m.writeFileAtomic(paths.summary, `${m.summaryLines(record).join('\n')}\n`, { flag: '--out' });
  m.writeFileAtomic(paths.gate, `${m.verdictLines(verdict).join('\n')}\n`, { flag: '--out' });
  if (historyDb) log(`history: ${JSON.stringify(m.appendRun(historyDb, outDir))}`);
  const report = await m.renderReport(outDir);
  log(`report rendered: ${report.files.length} files in ${(report.durationMs / 1000).toFixed(1)} s`);
  const exitCode = !record.complete ? RUN_EXIT_CODES.incomplete : verdict.verdict === 'pass' ? RUN_EXIT_CODES.ok : RUN_EXIT_CODES.gateFailed;
  const summary = m.runEndSummary(record, verdict, exitCode, { ...paths, report: join(report.outDir, 'report.html') });
  if (output === 'json') out(JSON.stringify(summary));
  else if (output === 'quiet') [m.verdictLine(summary), `report: ${summary.paths.report}`].forEach((line) => out(line));
  else m.runEndLines(summary).forEach((line) => out(line));
  return exitCode;
}

/** The gate policy a run config names: a file (relative to the package) or inline. */
function policyOf(m: RunModules, configured: unknown): ReturnType<RunModules['loadPolicy']> {
  if (typeof configured === 'string') return m.loadPolicy(isAbsolute(configured) ? configured : packagePath(configured));
  return m.inlinePolicy(configured as object, 'config.gatePolicy');
}

/** Runs the CLI on `argv` (without node and script); resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = (COMMANDS as Record<string, Command>)[name];
  if (!command) throw new InputError(`unknown command '${name}'; available: ${Object.keys(COMMANDS).join(', ')}; did you mean '${closestKnown(name, Object.keys(COMMANDS))}'?`);
  return command(rest, out);
}

// A reader that closes early (`compbench compare A B | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof InputError || isCompbenchError(e)) process.stderr.write(`compbench: ${e.message}\n`);
  else process.stderr.write(`compbench: internal error: ${messageOf(e)} (set COMPBENCH_DEBUG=1 for the stack)\n`);
  if (process.env.COMPBENCH_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = isCompbenchError(e) ? e.exitCode : EXIT_INFRA;
}
