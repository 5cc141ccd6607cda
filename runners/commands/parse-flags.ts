import { InputError } from '../../core/errors.js';

/** A flag's value as a non-negative integer, or InputError naming the flag. */
export function integerFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/u.test(value) || !Number.isSafeInteger(n)) throw new InputError(`--${name} must be a non-negative integer (got '${value}')`);
  return n;
}
