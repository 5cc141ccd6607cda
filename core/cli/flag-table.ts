/**
 * Commands and their flags as data: one table per command, from which the parser's
 * options, the help text and the command-line checker (docs, CI recipes) all come, so
 * adding a flag is one line in its command's table (`core/cli/specs/<command>.ts`).
 */
import type { ParseArgsConfig } from 'node:util';

/** One flag of a command (the key of its table entry is the name without `--`). */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** Placeholder of a string flag's value in help, e.g. `FILE` or `fast|reference`. */
  readonly value?: string;
  /** The default in words, shown in help (booleans default to off unless said; `required` for a flag that must be given). */
  readonly default?: string;
  /** The value the parser fills in when the flag is absent (string flags only). */
  readonly initial?: string;
  /** May be given several times (values collect into an array). */
  readonly multiple?: boolean;
  /** One line: what the flag does. */
  readonly help: string;
}

/** A flag table: flag name (without `--`) → spec, in the order help lists them. */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** A command (or a subcommand such as `suites validate`) as data. */
export interface CommandSpec {
  /** As typed after `compbench`, e.g. `run` or `suites validate`. */
  readonly name: string;
  /** One line: what the command does. */
  readonly summary: string;
  /** Positional arguments and flags in the usage line, e.g. `RUN_DIR [--policy FILE]`. */
  readonly synopsis: string;
  /** How many positional arguments the command takes. */
  readonly positionals: { readonly min: number; readonly max: number };
  readonly flags: FlagTable;
  /** One complete example command line, starting with `compbench`. */
  readonly example: string;
  /** Further lines of help: behaviour, outputs, exit codes. */
  readonly details?: readonly string[];
  /** Subcommands (`suites list`, `queue status`): the command itself then takes none of its own flags. */
  readonly subcommands?: readonly CommandSpec[];
}

/** The flag every command takes. */
export const HELP_FLAG: FlagSpec = { type: 'boolean', help: 'print this help and exit' };

/** Parsed values of a table: strings (or arrays of them) where given, booleans always. */
export type FlagValues<F extends FlagTable> = {
  -readonly [K in keyof F]: F[K]['type'] extends 'boolean' ? boolean : F[K]['multiple'] extends true ? string[] | undefined : string | undefined;
} & { help: boolean };

type Options = NonNullable<ParseArgsConfig['options']>;

/** The `node:util` parseArgs options of a table, `--help`/`-h` included; booleans default to false. */
export function parseArgsOptions(flags: FlagTable): Options {
  const options: Options = { help: { type: 'boolean', short: 'h', default: false } };
  for (const [name, f] of Object.entries(flags)) {
    options[name] = f.type === 'boolean'
      ? { type: 'boolean', default: false }
      : { type: 'string', ...(f.multiple ? { multiple: true } : {}), ...(f.initial !== undefined ? { default: f.initial } : {}) };
  }
  return options;
}
