/** Token-level loglikelihood pairs shaped like few-shot suites, for the scorer tests (seeded). */
import { createRng, type Rng } from '../../core/rng.js';
import type { TokenizedPair } from '../../runners/model/request-tokens.js';

const BOS = 1;

function tokens(rng: Rng, vocab: number, n: number): number[] {
  // ids 3.. skip pad/BOS/EOS
  return Array.from({ length: n }, () => 3 + rng.int(vocab - 3));
}

/**
 * Pairs that exercise every tree shape: a header of `headerLength` tokens (BOS included)
 * shared by questions with 3 choices each; a second header that leaves the first inside a
 * block; contexts of exactly 1, 31, 32, 33 and 64 tokens, one a prefix of another; a
 * repeated context; short unrelated contexts. Continuations have 1..6 tokens.
 */
export function fewShotPairs(seed: number, vocab: number, headerLength: number): TokenizedPair[] {
  const rng = createRng(seed);
  const header = [BOS, ...tokens(rng, vocab, headerLength - 1)];
  const other = [...header.slice(0, Math.floor(headerLength / 2) + 3), ...tokens(rng, vocab, Math.ceil(headerLength / 2))];
  const contexts: number[][] = [];
  for (let q = 0; q < 6; q++) contexts.push([...header, ...tokens(rng, vocab, 2 + rng.int(18))]);
  for (let q = 0; q < 3; q++) contexts.push([...other, ...tokens(rng, vocab, 2 + rng.int(18))]);
  const long = [BOS, ...tokens(rng, vocab, 70)];
  for (const n of [1, 31, 32, 33, 64, 65]) contexts.push(long.slice(0, n));
  for (let q = 0; q < 3; q++) contexts.push([BOS, ...tokens(rng, vocab, 3 + q)]);
  contexts.push(contexts[2]);
  const pairs: TokenizedPair[] = [];
  for (const contextIds of contexts) {
    for (let c = 0; c < 3; c++) pairs.push({ contextIds, continuationIds: tokens(rng, vocab, 1 + rng.int(6)) });
  }
  return pairs;
}

/** The request group of each of {@link fewShotPairs}' pairs: one per context (its 3 choices), as an instance's. */
export function fewShotGroups(pairs: readonly TokenizedPair[]): string[] {
  return pairs.map((_, i) => String(Math.floor(i / 3)));
}

/**
 * Named reorderings and subsets of whole groups (`groups` per pair index), each group's pairs
 * kept in their order as an instance emits them: groups reversed, two random halves of the
 * groups, a few groups alone.
 */
export function groupSubsetOrders(groups: readonly string[], seed: number): { name: string; indices: number[] }[] {
  const names = [...new Set(groups)];
  const members = (chosen: readonly string[]): number[] => chosen.flatMap((g) => groups.flatMap((x, i) => (x === g ? [i] : [])));
  return subsetOrders(names.length, seed).map(({ name, indices }) => ({ name: `groups: ${name}`, indices: members(indices.map((k) => names[k])) }));
}

/** Named reorderings and subsets of `n` pair indices: reversed, two random halves, a few alone. */
export function subsetOrders(n: number, seed: number): { name: string; indices: number[] }[] {
  const rng = createRng(seed);
  const all = Array.from({ length: n }, (_, i) => i);
  const shuffled = [...all];
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const half = Math.floor(n / 2);
  return [
    { name: 'reversed', indices: [...all].reverse() },
    { name: 'random first half', indices: shuffled.slice(0, half) },
    { name: 'random second half', indices: shuffled.slice(half) },
    ...[0, Math.floor(n / 3), n - 1].map((i) => ({ name: `pair ${i} alone`, indices: [i] })),
  ];
}
