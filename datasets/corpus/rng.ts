/**
 * A seeded pseudo-random generator (mulberry32) and helpers built on it. Every random
 * choice in the corpus goes through one of these, so a seed fixes the corpus bytes.
 */
import { createRng as createCoreRng } from '../../core/rng.js';

/** A deterministic random source: `next()` returns a float in [0, 1). */
export interface Rng {
  /** The next float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** Creates a mulberry32 generator (core/rng.ts's stream) from a 32-bit integer seed. */
export function createRng(seed: number): Rng {
  const next = createCoreRng(seed).next;
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** Fisher-Yates shuffle into a new array; the input is not modified. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Derives an independent sub-seed so separate generators do not share a stream. */
export function subSeed(seed: number, salt: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < salt.length; i++) h = Math.imul(h ^ salt.charCodeAt(i), 16777619) >>> 0;
  return h;
}
