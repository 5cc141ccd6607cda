import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, messageOf } from '../../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs in strict mode, its errors (unknown flag, missing value) turned
 * into one-line InputErrors that name the command. (reports/ may not import runners/,
 * so this mirrors runners/commands/parse-flags.ts.)
 */
export function parseCommandFlags<O extends Options>(command: string, args: readonly string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (e) {
    throw new InputError(`${command}: ${messageOf(e).replace(/\. To specify a positional argument.*$/u, '')}; see 'compbench ${command} --help'`);
  }
}

/** A flag's value as an integer ≥ min, or an InputError naming the flag. */
export function integerOption(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/u.test(value) || !Number.isSafeInteger(n) || n < min) throw new InputError(`--${name} must be an integer ≥ ${min} (got '${value}')`);
  return n;
}
