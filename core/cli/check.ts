import { messageOf } from '../errors.js';
import type { CommandSpec } from './flag-table.js';
import { parseCommandArgs } from './parse.js';
import { COMMAND_SPECS } from './specs/index.js';

/** The spec a command line names (`suites validate …` → the `suites validate` spec) and the arguments after its name. */
export function specOf(argv: readonly string[], specs: readonly CommandSpec[] = COMMAND_SPECS): { spec: CommandSpec; rest: readonly string[] } | string {
  const [name, ...rest] = argv;
  const spec = specs.find((s) => s.name === name);
  if (!spec) return `unknown command '${name ?? ''}'`;
  if (!spec.subcommands) return { spec, rest };
  const [sub, ...subRest] = rest;
  if (sub === undefined || sub === '--help' || sub === '-h') return { spec: { ...spec, subcommands: undefined, flags: {}, positionals: { min: 0, max: 0 } }, rest: sub === undefined ? [] : [sub] };
  const subSpec = spec.subcommands.find((s) => s.name === `${name} ${sub}`);
  return subSpec ? { spec: subSpec, rest: subRest } : `unknown subcommand '${name} ${sub}'`;
}

/**
 * Problems of a command line (argv after `compbench`) as the CLI's own parser sees
 * them, without running anything: unknown command or flag, a flag without its value, too
 * few or too many positional arguments. Empty when it parses.
 */
export function commandLineProblems(argv: readonly string[], specs: readonly CommandSpec[] = COMMAND_SPECS): string[] {
  const found = specOf(argv, specs);
  if (typeof found === 'string') return [found];
  const { spec, rest } = found;
  try {
    const { values, positionals } = parseCommandArgs(spec, rest);
    if (values.help) return [];
    const { min, max } = spec.positionals;
    if (positionals.length < min || positionals.length > max) {
      return [`${spec.name}: takes ${min === max ? min : `${min} to ${max}`} positional argument(s), got ${positionals.length} (${positionals.join(' ')})`];
    }
    return [];
  } catch (e) {
    return [messageOf(e)];
  }
}
