import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, messageOf } from '../../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs in strict mode, with its errors (unknown flag, missing value)
 * turned into one-line InputErrors that name the command. Positionals only when allowed.
 */
export function parseFlags<O extends Options>(command: string, args: readonly string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (e) {
    throw new InputError(`${command}: ${messageOf(e).replace(/\. To specify a positional argument.*$/u, '')}; see 'compbench ${command} --help'`);
  }
}

/** A flag's value as a non-negative integer, or InputError naming the flag. */
export function integerFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/u.test(value) || !Number.isSafeInteger(n)) throw new InputError(`--${name} must be a non-negative integer (got '${value}')`);
  return n;
}
