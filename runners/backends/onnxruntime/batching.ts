import { InputError } from '../../../core/errors.js';

/** Limits on one forward pass. */
export interface BatchLimits {
  /** Rows per forward (≥ 1). */
  readonly maxRows: number;
  /** Padded tokens (rows × longest row, past included) per forward (≥ 1; a single longer row still runs alone). */
  readonly maxTokens: number;
}

/**
 * Default limits: enough rows to amortise weight reads and per-call cost, small enough for
 * logits and tiled KV to stay in cache on small models (stories260k: 16×2048 ran 9% faster
 * than 32×4096 and 66% faster than 64×16384 on its loglikelihood benchmark).
 */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxRows: 16, maxTokens: 2048 };

/**
 * Every padded width is a multiple of this many tokens. onnxruntime's CPU GEMMs give a
 * token the same bits whatever shares its forward, except that MLAS's n-bit kernels take
 * tokens two at a time (`NRows2`) and run an odd last one, or a lone one (M = 1), through
 * other kernels that round differently (MatMulNBits accuracy_level 4: up to 0.28 logit,
 * level 0: 2e-5). 8 also covers kernels that tile by 4 or 8.
 */
export const ROW_TILE = 8;

/**
 * Step of the loglikelihood rows that never serve as another row's past: a context's last
 * prefix-tree node (shorter than a block) and the continuation passes. Their widths only
 * need an even number of tokens per forward (the n-bit kernels' `NRows2`, as for decode
 * steps); a continuation of one or two tokens padded to 8 columns fed 4× the tokens the
 * model needs. The width is still a function of the row's own length (batch invariance).
 */
export const SCORE_ROW_TILE = 2;

/**
 * One-token decode steps run an even number of rows (copies fill the last pair), for the
 * same reason; eight rows instead of one tripled the teacher's single-prompt decode step.
 */
export const DECODE_ROW_TILE = 2;

/**
 * How rows are laid out so that every number a row gets depends on that row alone (batch
 * invariance; measured figures in README "Batch invariance"). Rows are right-padded to
 * {@link paddedWidth} of their own length and a forward holds rows of one width only. When
 * the graph's rows share statistics (per-tensor activation quantization), each forward
 * holds one row, unpadded, and nothing else.
 */
export interface RowPlan {
  readonly limits: BatchLimits;
  /** One row per forward, no padding (the graph mixes rows). */
  readonly alone: boolean;
  /** Widths stop at this many columns (the model's positions, rounded down to {@link ROW_TILE}). */
  readonly maxWidth: number;
}

/** The plan for a graph: `rowsInteract` from {@link DecoderSession.rowsInteract}, `maxPositions` from config.json. */
export function rowPlan(limits: BatchLimits, rowsInteract: boolean, maxPositions: number): RowPlan {
  return { limits: rowsInteract ? { ...limits, maxRows: 1 } : limits, alone: rowsInteract, maxWidth: Math.max(ROW_TILE, Math.floor(maxPositions / ROW_TILE) * ROW_TILE) };
}

/**
 * Padded width of a row of `length` tokens: a multiple of `minStep` (an even number) and of
 * a quarter of the power of two below the length (by default at most 25% padding above 64
 * tokens, 20 widths up to 512).
 */
export function paddedWidth(length: number, minStep = ROW_TILE): number {
  const step = Math.max(minStep, 2 ** Math.floor(Math.log2(Math.max(1, length - 1))) / 4);
  return Math.ceil(length / step) * step;
}

/**
 * The columns a row of `length` tokens occupies under `plan`: a function of the length
 * alone. `minStep` coarsens the widths where fewer, fuller forwards pay (generation
 * prompts: one prefill, then many decode steps that share the prompt's width).
 */
export function rowWidth(plan: RowPlan, length: number, minStep = ROW_TILE): number {
  if (plan.alone) return length;
  return Math.min(paddedWidth(length, minStep), Math.max(length, plan.maxWidth));
}

/** Rows a one-token decode step runs for `rows` live rows (other rows fill the last {@link DECODE_ROW_TILE}). */
export function decodeRows(plan: RowPlan, rows: number): number {
  return plan.alone ? rows : Math.ceil(rows / DECODE_ROW_TILE) * DECODE_ROW_TILE;
}

/**
 * Groups items by the width of `lengthOf(item)` (widest first, items in the given order)
 * and splits each group into forwards within the limits; `extra` is added to a row's cost
 * (columns the forward also holds: a cached past, tokens still to generate).
 */
export function chunkByWidth<T>(
  plan: RowPlan,
  items: readonly T[],
  lengthOf: (item: T) => number,
  extra: (item: T) => number = () => 0,
  minStep = ROW_TILE,
): { width: number; items: T[] }[] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const width = rowWidth(plan, lengthOf(item), minStep);
    const group = groups.get(width);
    if (group) group.push(item);
    else groups.set(width, [item]);
  }
  const out: { width: number; items: T[] }[] = [];
  for (const width of [...groups.keys()].sort((a, b) => b - a)) {
    for (const chunk of chunkByCost(groups.get(width)!, (item) => width + extra(item), plan.limits)) out.push({ width, items: chunk });
  }
  return out;
}

/**
 * Splits `items` (in the given order; sort longest first to reduce padding) into
 * consecutive chunks whose padded cost rows × max(costOf) stays within the limits.
 */
export function chunkByCost<T>(items: readonly T[], costOf: (item: T) => number, limits: BatchLimits): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let widest = 0;
  for (const item of items) {
    const cost = costOf(item);
    const nextWidest = Math.max(widest, cost);
    if (current.length > 0 && (current.length + 1 > limits.maxRows || (current.length + 1) * nextWidest > limits.maxTokens)) {
      chunks.push(current);
      current = [];
      widest = 0;
    }
    current.push(item);
    widest = Math.max(widest, cost);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Checks limits up front so a bad option fails with its name, not deep in a loop. */
export function checkBatchLimits(limits: BatchLimits): void {
  for (const key of ['maxRows', 'maxTokens'] as const) {
    if (!Number.isInteger(limits[key]) || limits[key] < 1) throw new InputError(`options.${key} must be a positive integer (got ${limits[key]})`);
  }
}
