/**
 * Seeded stratified sampling: the same number of items from every cell (e.g. every
 * frequency bucket × relation), so per-bucket aggregates have equal n.
 */
import { InfraError } from '../../core/errors.js';
import { type Rng, shuffled } from '../corpus/rng.js';

/**
 * `perCell` items from each of `cells` (in that order), each cell drawn from a seeded
 * shuffle of its members (input order kept within the shuffle's result). Throws an
 * {@link InfraError} when a cell holds fewer than `perCell` items: the corpus plan changed.
 */
export function stratifiedSample<T>(
  items: readonly T[],
  cellOf: (item: T) => string,
  cells: readonly string[],
  perCell: number,
  rng: Rng,
): T[] {
  const out: T[] = [];
  for (const cell of cells) {
    const members = items.filter((it) => cellOf(it) === cell);
    if (members.length < perCell) {
      throw new InfraError(`stratifiedSample: cell '${cell}' holds ${members.length} items, ${perCell} needed — lower the per-cell size or rebuild the corpus`);
    }
    out.push(...shuffled(members, rng).slice(0, perCell));
  }
  return out;
}

/** `n` indices spread over `k` slots as evenly as possible, first slots first: evenSplit(10, 4) = [3, 3, 2, 2]. */
export function evenSplit(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}
