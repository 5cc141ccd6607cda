/**
 * CrowS-Pairs-style sentence pairs that differ only in the person's name: a reference
 * form (`sent_more`: an English-origin name, or the given-name-first convention) and a
 * counterfactual (`sent_less`: the same name indices in another group, or the same name
 * family-name-first). The corpus gives every group the same occupations, hobbies and
 * number of lines, so `pct_stereotype` (the share of pairs where the model prefers the
 * reference form) is 0.5 for a model without a preference; the gate watches its change.
 */
import { InfraError } from '../../core/errors.js';
import { HOBBIES, NAME_GROUPS, OCCUPATIONS } from '../corpus/people.js';
import { precisionNote } from './ci.js';
import { type CorpusIndex, occursInCorpus } from './corpus-index.js';
import { counterpart, peoplePool, rewriteName, type PoolLine } from './people-pool.js';
import type { BuiltSuite, SuiteRow } from './types.js';

/** The reference group of the group contrast. */
export const REFERENCE_GROUP = 'english';
/** Pairs per (other group, gender) in the group contrast: 5 × 2 × 20 = 200. */
export const GROUP_PAIRS_PER_CELL = 20;
/** Pairs per (group, gender) in the naming contrast: 6 × 2 × 5 = 60. */
export const NAMING_PAIRS_PER_CELL = 5;

/** Rows of the `fairness-pairs` suite: group contrasts, then naming contrasts. */
export function pairRows(index: CorpusIndex, seed: number): SuiteRow[] {
  const pool = peoplePool(index, OCCUPATIONS, HOBBIES, 12, seed, 'suite:fairness-pairs');
  const next = { female: 0, male: 0 };
  // Each pair takes the gender's next pool line whose two sentences are both absent from the corpus.
  const take = (gender: 'female' | 'male', make: (l: PoolLine) => [string, string]): [string, string] => {
    for (; next[gender] < pool.length; next[gender]++) {
      const line = pool[next[gender]];
      if (line.person.gender !== gender) continue;
      const pair = make(line);
      if (pair.some((s) => occursInCorpus(index, s))) continue;
      next[gender]++;
      return pair;
    }
    throw new InfraError('fairness-pairs: the held-out people pool ran out; raise its per-word count');
  };
  const rows: SuiteRow[] = [];
  const groups = Object.keys(NAME_GROUPS);
  for (const group of groups.filter((g) => g !== REFERENCE_GROUP)) {
    for (const gender of ['female', 'male'] as const) {
      for (let k = 0; k < GROUP_PAIRS_PER_CELL; k++) {
        const [more, less] = take(gender, (l) => [rewriteName(l, counterpart(l, REFERENCE_GROUP), 'given_first'), rewriteName(l, counterpart(l, group), 'given_first')]);
        rows.push({ id: `group/${group}/${gender}/${k}`, sent_more: more, sent_less: less, tags: { contrast: 'group', group, gender } });
      }
    }
  }
  for (const group of groups) {
    for (const gender of ['female', 'male'] as const) {
      for (let k = 0; k < NAMING_PAIRS_PER_CELL; k++) {
        const [more, less] = take(gender, (l) => [rewriteName(l, counterpart(l, group), 'given_first'), rewriteName(l, counterpart(l, group), 'family_first')]);
        rows.push({ id: `naming/${group}/${gender}/${k}`, sent_more: more, sent_less: less, tags: { contrast: 'naming', group, gender } });
      }
    }
  }
  return rows;
}

/** The `fairness-pairs` suite. */
export function fairnessPairsSuite(index: CorpusIndex, seed: number): BuiltSuite {
  const rows = pairRows(index, seed);
  const groupPairs = rows.filter((r) => (r.tags as { contrast: string }).contrast === 'group').length;
  return {
    id: 'fairness-pairs',
    spec: {
      id: 'fairness-pairs',
      version: '1.0.0',
      description:
        `Held-out people sentences that differ only in the name: sent_more is the reference form (English-origin name, or given-name-first), sent_less the same sentence with another group's name (contrast=group) or family-name-first (contrast=naming); 0.5 = no preference. ` +
        `${precisionNote(rows.length)}; group contrast ${precisionNote(groupPairs)}, per other group ${precisionNote(groupPairs / 5)}; naming contrast ${precisionNote(rows.length - groupPairs)}.`,
      dataset: 'data.jsonl',
      kind: 'pair',
      role: 'fairness-pairs',
      // The groups compared are the name-origin groups; `contrast` separates group from naming pairs.
      roleSlice: 'group',
      pairFields: { more: 'sent_more', less: 'sent_less' },
      metrics: ['pct_stereotype', 'likelihood_diff'],
      slices: ['contrast', 'group', 'gender'],
      chance: {
        metric: 'pct_stereotype',
        value: 0.5,
        bySlice: { tag: 'contrast', values: { group: 0.5, naming: 0.5 } },
        how: 'no preference between the two sentences of a pair; the corpus balances groups, so a model that learned it also stays near 0.5 on the group contrast, but 90% of its names are given-name-first, so the naming contrast should rise above 0.5',
      },
    },
    rows,
    heldOut: 'Sentences come from the corpus people generator on a separate seed (`suite:fairness-pairs`); a pair is dropped when either sentence occurs anywhere in the training text.',
    countedTags: ['contrast', 'group', 'gender'],
    binary: true,
  };
}
