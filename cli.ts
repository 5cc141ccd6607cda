import { InputError, isCompbenchError, messageOf, EXIT_INFRA } from './core/errors.js';
import { compressCommand } from './runners/commands/compress.js';
import { generateCommand } from './runners/commands/generate.js';
import { synthCommand } from './runners/commands/synth.js';
import { importCommand } from './runners/commands/import.js';
import { exportCommand } from './runners/commands/export.js';
import { join, isAbsolute } from 'node:path';
import { packagePath } from './core/paths.js';
import { RUN_EXIT_CODES, runFromArgs, type LockedRun } from './runners/commands/run.js';
import { summaryLines } from './runners/run/summary-table.js';
import { defaultPolicy, evaluateGate, inlinePolicy, loadPolicy, verdictLines, writeGateVerdict } from './reports/gate/index.js';
import { runEndLines, runEndSummary, verdictLine } from './reports/run-end/index.js';
import { writeFileAtomic } from './core/atomic-write.js';
import { appendRun } from './reports/history/index.js';
import { suitesCommand } from './runners/commands/suites.js';
import { queueCommand, workerCommand } from './runners/commands/worker.js';
import { compareCommand } from './reports/compare/command.js';
import { historyCommand } from './reports/history/command.js';
import { gateCommand } from './reports/gate/command.js';
import { reportCommand } from './reports/command.js';
import { renderReport } from './reports/render.js';
import { initCommand } from './runners/commands/init.js';
import { closestKnown, COMMAND_SPECS, overviewUsage } from './core/cli/index.js';

/** A subcommand: arguments after its name, a line printer for stdout; resolves to the exit code. */
type Command = (args: readonly string[], out: (line: string) => void) => Promise<number>;

const COMMANDS = {
  generate: generateCommand,
  run: runAndReport,
  suites: suitesCommand,
  compress: compressCommand,
  history: historyCommand,
  compare: compareCommand,
  gate: gateCommand,
  report: reportCommand,
  synth: synthCommand,
  import: importCommand,
  export: exportCommand,
  worker: workerCommand,
  queue: queueCommand,
  init: initCommand,
} as const satisfies Record<string, Command>;

// Every command has its spec (flags, defaults, example) in core/cli/specs/, listed by --help.
const USAGE = overviewUsage(COMMAND_SPECS.filter((s) => s.name in COMMANDS));

/**
 * `compbench run`: the matrix (runners), then the gate and the report (reports) on the
 * run record it wrote — the one place both sides meet. `--history DB` also appends the
 * run to the history store. Exit: 0 pass, 1 gate failed, 2 invalid input, 3 incomplete.
 */
async function runAndReport(args: readonly string[], out: (line: string) => void): Promise<number> {
  // The policy is checked with the rest of the matrix, before anything runs.
  const policyProblems = (config: { readonly gatePolicy?: unknown }): string[] => {
    try {
      // The default is derived from the run's suites after the run; a named one is read now.
      if (config.gatePolicy !== undefined && config.gatePolicy !== 'default') policyOf(config.gatePolicy);
      return [];
    } catch (e) {
      return [`$.gatePolicy: ${messageOf(e)}`];
    }
  };
  const result = await runFromArgs(args, out, policyProblems);
  if (!result) return RUN_EXIT_CODES.ok;
  try {
    return await gateAndReport(result, result.historyDb, out);
  } finally {
    result.lock.release();
  }
}

/**
 * The gate and the report on a finished run, while its `--out` lock is still held. The
 * full summary table and rule list go to DIR/summary.txt and DIR/gate.txt; the terminal
 * gets a short summary (`--quiet`: verdict and report; `--json`: one object).
 */
async function gateAndReport(result: LockedRun, historyDb: string | undefined, out: (line: string) => void): Promise<number> {
  const { record, outDir, output, log } = result;
  const configured = record.config.gatePolicy;
  const { policy, source } = configured === undefined || configured === 'default' ? defaultPolicy(record) : policyOf(configured);
  const verdict = evaluateGate(record, policy, source);
  const runFile = join(outDir, 'run.json');
  writeGateVerdict(runFile, verdict, { flag: '--out' });
  const paths = { record: runFile, report: join(outDir, 'report', 'report.html'), gate: join(outDir, 'gate.txt'), summary: join(outDir, 'summary.txt') };
  writeFileAtomic(paths.summary, `${summaryLines(record).join('\n')}\n`, { flag: '--out' });
  writeFileAtomic(paths.gate, `${verdictLines(verdict).join('\n')}\n`, { flag: '--out' });
  if (historyDb) log(`history: ${JSON.stringify(appendRun(historyDb, outDir))}`);
  const report = await renderReport(outDir);
  log(`report rendered: ${report.files.length} files in ${(report.durationMs / 1000).toFixed(1)} s`);
  const exitCode = !record.complete ? RUN_EXIT_CODES.incomplete : verdict.verdict === 'pass' ? RUN_EXIT_CODES.ok : RUN_EXIT_CODES.gateFailed;
  const summary = runEndSummary(record, verdict, exitCode, { ...paths, report: join(report.outDir, 'report.html') });
  if (output === 'json') out(JSON.stringify(summary));
  else if (output === 'quiet') [verdictLine(summary), `report: ${summary.paths.report}`].forEach((line) => out(line));
  else runEndLines(summary).forEach((line) => out(line));
  return exitCode;
}

/** The gate policy a run config names: a file (relative to the package) or inline. */
function policyOf(configured: unknown): ReturnType<typeof loadPolicy> {
  if (typeof configured === 'string') return loadPolicy(isAbsolute(configured) ? configured : packagePath(configured));
  return inlinePolicy(configured as object, 'config.gatePolicy');
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
