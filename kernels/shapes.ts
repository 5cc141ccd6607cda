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

/**
 * Groups of `group` consecutive rows along K in one column: ceil(K/group). When group does
 * not divide K the last group is partial (K mod group rows), as MatMulNBits, GPTQ and
 * llama.cpp allow; a group ≥ K is one group per column.
 */
export function groupCount(K: number, group: number): number {
  return Math.ceil(K / group);
}

/** Throws unless `group` is a positive integer (any size: the last group may be partial). */
export function checkGroupSize(group: number): void {
  if (!Number.isInteger(group) || group <= 0) {
    throw new InputError(`group size must be a positive integer (or 'channel'), got ${group}`);
  }
}
