/**
 * Argument checks shared by the kernels: a wrong length is a caller bug that would
 * otherwise read out of bounds silently, so it fails loudly with the expected shape.
 */
import { InputError } from '../core/errors.js';

/** Throws unless `data` holds exactly rows·cols values; `name` names the tensor. */
export function checkShape(name: string, data: ArrayLike<number>, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows <= 0 || cols <= 0) {
    throw new InputError(`${name}: dimensions must be positive integers, got (${rows},${cols})`);
  }
  if (data.length !== rows * cols) {
    throw new InputError(`${name}: expected ${rows}×${cols} = ${rows * cols} values, got ${data.length}`);
  }
}

/** Number of calibration tokens T for X (T,K); throws when X is empty or ragged. */
export function calibrationTokens(name: string, X: Float32Array, K: number): number {
  if (X.length === 0) throw new InputError(`${name}: calibration input is empty; give at least one token of ${K} features`);
  if (X.length % K !== 0) {
    throw new InputError(`${name}: calibration input length ${X.length} is not a multiple of K = ${K}`);
  }
  return X.length / K;
}

/** Divisors of K usable as a group size (≥ 2), for error messages. */
export function validGroupSizes(K: number): number[] {
  const out: number[] = [];
  for (let g = 2; g <= K; g++) if (K % g === 0) out.push(g);
  return out;
}

/** Throws unless `group` is a positive divisor of K. */
export function checkGroupSize(group: number, K: number): void {
  if (!Number.isInteger(group) || group <= 0 || K % group !== 0) {
    const valid = validGroupSizes(K);
    const shown = valid.length > 12 ? [...valid.slice(0, 12), '…'] : valid;
    throw new InputError(`group size ${group} does not divide K = ${K}; valid groups: ${shown.join(', ')} (or 'channel')`);
  }
}
