import { InputError } from '../../core/errors.js';

/** A flag's value as an integer ≥ min, or an InputError naming the flag. */
export function integerOption(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/u.test(value) || !Number.isSafeInteger(n) || n < min) throw new InputError(`--${name} must be an integer ≥ ${min} (got '${value}')`);
  return n;
}
