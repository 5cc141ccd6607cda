/**
 * What compression.json says about a quantized variant's grid and groups, so a reader can
 * recompute Ŵ from the codes: the grid's formulas (kernels/quant-grid.ts) and, per layer
 * width K that the group size does not divide, how many rows the partial last group holds.
 */
import { describeGrid, gridKind, type GridDescription, type MethodId, type ParamValue, type SymGrid } from '../../kernels/index.js';

/** Groups along K: the size and where the last group of a column is partial. */
export interface GroupingRecord {
  /** Rows of K per scale (nf4: per absmax block); 'channel'/'tensor': one group per column. */
  readonly size: number | 'channel' | 'tensor';
  /** One entry per layer width K not divisible by `size`: the last group has `lastGroupRows` = K mod size rows. */
  readonly partialLastGroup: readonly { readonly K: number; readonly lastGroupRows: number }[];
}

/** The uniform grid of rtn/gptq/awq codes; undefined for other methods. */
export function quantGridRecord(method: MethodId, params: Readonly<Record<string, ParamValue>>): GridDescription | undefined {
  if (method !== 'rtn' && method !== 'gptq' && method !== 'awq') return undefined;
  return describeGrid(gridKind(params.symmetric === true, params.symGrid as SymGrid), params.bits as number);
}

/** The grouping of rtn/gptq/awq (group) and nf4 (blockSize) on layers of widths `Ks`; undefined for other methods. */
export function groupingRecord(method: MethodId, params: Readonly<Record<string, ParamValue>>, Ks: Iterable<number>): GroupingRecord | undefined {
  const size = method === 'nf4' ? params.blockSize : method === 'rtn' || method === 'gptq' || method === 'awq' ? params.group : undefined;
  if (size === undefined) return undefined;
  const partialLastGroup = typeof size !== 'number' ? [] : [...new Set(Ks)].sort((a, b) => a - b)
    .filter((K) => K % size !== 0)
    .map((K) => ({ K, lastGroupRows: K % size }));
  return { size: size as GroupingRecord['size'], partialLastGroup };
}
