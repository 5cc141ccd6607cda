import { InputError, isCompbenchError, messageOf, EXIT_INFRA } from './core/errors.js';
import { compressCommand } from './runners/commands/compress.js';
import { generateCommand } from './runners/commands/generate.js';
import { runCommand } from './runners/commands/run.js';
import { suitesCommand } from './runners/commands/suites.js';
import { compareCommand } from './reports/compare/command.js';
import { historyCommand } from './reports/history/command.js';
import { gateCommand } from './reports/gate/command.js';
import { reportCommand } from './reports/command.js';

/** A subcommand: arguments after its name, a line printer for stdout; resolves to the exit code. */
type Command = (args: readonly string[], out: (line: string) => void) => Promise<number>;

const COMMANDS = {
  generate: generateCommand,
  run: runCommand,
  suites: suitesCommand,
  compress: compressCommand,
  history: historyCommand,
  compare: compareCommand,
  gate: gateCommand,
  report: reportCommand,
} as const satisfies Record<string, Command>;

const USAGE = `usage: compbench <command> [options]
commands: ${Object.keys(COMMANDS).join(', ')}
run 'compbench <command> --help' for a command's options`;

/** Runs the CLI on `argv` (without node and script); resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = (COMMANDS as Record<string, Command>)[name];
  if (!command) throw new InputError(`unknown command '${name}'; available: ${Object.keys(COMMANDS).join(', ')}`);
  return command(rest, out);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof InputError || isCompbenchError(e)) process.stderr.write(`compbench: ${e.message}\n`);
  else process.stderr.write(`compbench: internal error: ${messageOf(e)} (set COMPBENCH_DEBUG=1 for the stack)\n`);
  if (process.env.COMPBENCH_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = isCompbenchError(e) ? e.exitCode : EXIT_INFRA;
}
