import { createRng } from '../core/rng.js';
import type { Instance } from './spec.js';

/** Default few-shot seed when suite.json gives none. */
export const DEFAULT_FEWSHOT_SEED = 1234;

/**
 * FNV-1a 32-bit hash of a string's UTF-8 bytes: turns (seed, instance id) into a seed,
 * so an instance's examples do not depend on which other instances are evaluated or in
 * what order.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Draws up to k distinct examples for `target` from the few-shot split, never the
 * instance itself (same id or same content hash). Seeded per instance; the draw is a
 * partial Fisher–Yates shuffle of the eligible pool. Returns fewer than k only when the
 * pool is too small (load.ts reports that).
 */
export function sampleShots(pool: readonly Instance[], target: Instance, k: number, seed: number): Instance[] {
  const eligible = pool.filter((p) => p.id !== target.id && p.hash !== target.hash);
  const rng = createRng(fnv1a32(`${seed}\u0000${target.id}`));
  const order = eligible.map((_, i) => i);
  const take = Math.min(k, order.length);
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(order.length - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, take).map((i) => eligible[i]);
}
