/**
 * Rare words: NLL and greedy accuracy of each target word (occupations and hobbies
 * with seeded exact corpus counts) in a held-out people sentence, bucketed by the
 * word's exact count in the training corpus (word-counts.json).
 */
import { uniformTokenNllChance } from './chance.js';
import type { WordTokenCounter } from './word-tokens.js';
import { InfraError } from '../../core/errors.js';
import { findWord } from '../../core/text.js';
import { createRng, shuffled, subSeed } from '../corpus/rng.js';
import type { TargetWordRecord } from '../corpus/word-counts.js';
import { wilsonHalfWidth } from './ci.js';
import type { CorpusIndex } from './corpus-index.js';
import { peoplePool, type PoolLine } from './people-pool.js';
import { evenSplit } from './sample.js';
import type { BuiltSuite, SuiteRow } from './types.js';

/** The word buckets, most frequent first. */
export const WORD_BUCKETS = ['100+', '20-99', '5-19', '1-4'] as const;
/** Instances per bucket, spread evenly over the bucket's words: 4 × 70 = 280. */
export const RARE_WORDS_PER_BUCKET = 70;

/** One row per (target word, held-out sentence); the sentence is a corpus-generator line that is not in the corpus. */
export function rareWordRows(targets: readonly TargetWordRecord[], index: CorpusIndex, seed: number): SuiteRow[] {
  const occupations = targets.filter((t) => t.kind === 'occupation').map((t) => t.word);
  const hobbies = targets.filter((t) => t.kind === 'hobby').map((t) => t.word);
  // One pool per word kind, so occupation targets do not use up the lines that carry hobbies.
  const pools = {
    occupation: peoplePool(index, occupations, hobbies, 12, seed, 'suite:rare-words-occupation'),
    hobby: peoplePool(index, occupations, hobbies, 12, seed, 'suite:rare-words-hobby'),
  };
  const used = new Set<string>();
  const rows: SuiteRow[] = [];
  for (const bucket of WORD_BUCKETS) {
    const inBucket = targets.filter((t) => t.bucket === bucket);
    const quotas = evenSplit(RARE_WORDS_PER_BUCKET, inBucket.length);
    inBucket.forEach((t, wi) => {
      const fits = (l: PoolLine): boolean => !used.has(l.text) && (t.kind === 'occupation' ? l.occupation === t.word : l.hobby === t.word);
      const picked = pools[t.kind].filter(fits).slice(0, quotas[wi]);
      if (picked.length < quotas[wi]) throw new InfraError(`rare-words: only ${picked.length} held-out sentences for '${t.word}', ${quotas[wi]} needed`);
      picked.forEach((l, k) => {
        used.add(l.text);
        rows.push({ id: `${t.word}-${k}`, text: l.text, target: t.word, tags: { freq_bucket: t.bucket, word_kind: t.kind, count: t.count, word: t.word } });
      });
    });
  }
  // Shuffle so instances of one word are not adjacent (batching and truncated runs see a mix).
  return shuffled(rows, createRng(subSeed(seed, 'suite:rare-words-order')));
}

/** The row's text before its target word (where the scored continuation starts). */
function beforeTarget(row: SuiteRow): string {
  const text = row.text as string;
  return text.slice(0, findWholeWord(text, row.target as string));
}

/** Where `word` first occurs in `text` as a whole word (as the rolling kind finds it), or throws. */
function findWholeWord(text: string, word: string): number {
  const at = findWord(text, word);
  if (at < 0) throw new InfraError(`rare-words: '${word}' is not a whole word of '${text}'`);
  return at;
}

/** The `rare-words` suite. */
export function rareWordsSuite(targets: readonly TargetWordRecord[], index: CorpusIndex, seed: number, words: WordTokenCounter): BuiltSuite {
  const rows = rareWordRows(targets, index, seed);
  const n = RARE_WORDS_PER_BUCKET;
  return {
    id: 'rare-words',
    spec: {
      id: 'rare-words',
      version: '1.2.0',
      description:
        `NLL (nats/word) and greedy accuracy of a target word (occupation or hobby) given the held-out sentence before it, by the word's exact training count (word-counts.json). ` +
        `word_nll is the main metric: the corpus deals occupations and hobbies at random, so no model can predict the word from its sentence and greedy accuracy stays near the most frequent word's share (about 0.03); the NLL shows how well the word's frequency was learned. ` +
        `n=${rows.length} (${n} per freq_bucket); word_acc is a ratio with a bootstrap CI, roughly Wilson ±${wilsonHalfWidth(n, 0.5).toFixed(3)} at 0.5 and ±${wilsonHalfWidth(n, 0.8).toFixed(3)} at 0.8 per bucket (±${wilsonHalfWidth(rows.length, 0.5).toFixed(3)} / ±${wilsonHalfWidth(rows.length, 0.8).toFixed(3)} overall).`,
      dataset: 'data.jsonl',
      kind: 'rolling',
      role: 'rare-words',
      targetsField: 'target',
      metrics: ['word_nll', 'word_acc'],
      slices: ['freq_bucket', 'word_kind'],
      // word NLL is a mean over a bucket-balanced, heavy-tailed mix (about 2.6 to 15 nats): its 95%
      // interval is about ±10% of the value at n=280, at the edge of the default relative width 0.2.
      maxCiWidth: 0.3,
      chance: uniformTokenNllChance(rows, 'word_nll', (r) => words.count(beforeTarget(r), r.target as string), words.vocabSize),
    },
    rows,
    heldOut: 'Sentences come from the corpus people generator on separate seeds (`suite:rare-words-occupation`, `suite:rare-words-hobby`); any sentence that occurs anywhere in the training text is dropped.',
    countedTags: ['freq_bucket', 'word_kind'],
    binary: false,
  };
}
