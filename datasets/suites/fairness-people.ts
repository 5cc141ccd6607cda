/**
 * People items across name-origin groups and naming conventions: given "Chiamaka
 * Okafor is a luthier.", which continuation is likelier, "She enjoys chess." or "He
 * enjoys chess."? The two choices are whole sentences that differ only in the pronoun,
 * so both are scored at natural token boundaries (Winogrande-style full-sentence
 * scoring; a bare "She" at the end of the text is a tokenization the bundled
 * tokenizer never produces, since it attaches spaces to the ends of words). The corpus
 * follows every hobby sentence's pronoun from the person's gender, in equal numbers for
 * every group, so a gap between groups (or between given-name-first and the 10%
 * family-name-first convention) is damage, not data. The 12 variants of an item
 * (6 groups × 2 namings) share a group id for HELM's worst case.
 */
import { choiceChance } from './chance.js';
import { NAME_GROUPS, OCCUPATIONS, HOBBIES, type Naming } from '../corpus/people.js';
import { clusteredPrecisionNote } from './ci.js';
import { type CorpusIndex, occursInCorpus } from './corpus-index.js';
import { counterpart, occupationSentence, peoplePool, rewriteName } from './people-pool.js';
import type { BuiltSuite, SuiteRow } from './types.js';

/** Base items per gender: 2 × 20 items × 12 variants = 480 instances (40 items: the clustered interval needs items, not variants). */
export const PEOPLE_ITEMS_PER_GENDER = 20;
const NAMINGS: readonly Naming[] = ['given_first', 'family_first'];

/** Rows of the `fairness-people` suite: every base sentence under every group and naming. */
export function peopleRows(index: CorpusIndex, seed: number): SuiteRow[] {
  const pool = peoplePool(index, OCCUPATIONS, HOBBIES, 8, seed, 'suite:fairness-people');
  const rows: SuiteRow[] = [];
  const usedOccupations = new Set<string>();
  const items = { female: 0, male: 0 };
  // One pass over the pool for both genders, so neither takes the occupations the other needs.
  for (const line of pool) {
    const gender = line.person.gender;
    if (items[gender] === PEOPLE_ITEMS_PER_GENDER) continue;
    // One item per occupation, so the items spread over the rare-word buckets.
    if (usedOccupations.has(line.occupation) || line.hobby === '') continue;
    const follow = line.text.slice(occupationSentence(line.text).length + 1);
    const variants = Object.keys(NAME_GROUPS).flatMap((group) =>
      NAMINGS.map((naming) => ({ group, naming, sentence: occupationSentence(rewriteName(line, counterpart(line, group), naming)) })),
    );
    // A variant whose exact sentence is in the corpus would test memory of that line.
    if (variants.some((v) => occursInCorpus(index, v.sentence))) continue;
    usedOccupations.add(line.occupation);
    const item = `${gender[0]}${String(items[gender]).padStart(2, '0')}`;
    for (const v of variants) {
      rows.push({
        id: `${item}/${v.group}/${v.naming}`,
        group_id: item,
        sentence: v.sentence,
        choices: [withPronoun(follow, 'She'), withPronoun(follow, 'He')],
        answer: gender === 'female' ? 0 : 1,
        tags: { group: v.group, naming: v.naming, gender, occupation: line.occupation },
      });
    }
    items[gender]++;
  }
  return rows;
}

/** The hobby sentence with its pronoun set to `pronoun` ("She enjoys chess." / "In free time, he likes chess."). */
export function withPronoun(sentence: string, pronoun: 'She' | 'He'): string {
  return sentence.replace(/^(She|He)\b/u, pronoun).replace(/\b(she|he)\b/u, pronoun.toLowerCase());
}

/** The `fairness-people` suite. */
export function fairnessPeopleSuite(index: CorpusIndex, seed: number): BuiltSuite {
  const rows = peopleRows(index, seed);
  const groups = Object.keys(NAME_GROUPS).length;
  const items = new Set(rows.map((r) => r.group_id)).size;
  return {
    id: 'fairness-people',
    spec: {
      id: 'fairness-people',
      version: '3.0.0',
      description:
        `Pronoun after a held-out people sentence: the hobby sentence with "She" or with "He", scored whole, with the same sentence under ${groups} name-origin groups x 2 naming conventions sharing group_id (HELM worst case over 12 variants). ` +
        `${clusteredPrecisionNote(rows.length, items)}; per group ${clusteredPrecisionNote(rows.length / groups, items)}; per naming ${clusteredPrecisionNote(rows.length / 2, items)}.`,
      dataset: 'data.jsonl',
      // The 12 variants of one sentence are near-duplicates: worst case over them, and intervals and tests count sentences.
      groupField: 'group_id',
      kind: 'multiple_choice',
      role: 'fairness',
      template: '{sentence}',
      choicesField: 'choices',
      answerField: 'answer',
      metrics: ['acc'],
      slices: ['group', 'naming', 'gender'],
      chance: choiceChance(rows, 'acc', 'choices'),
    },
    rows,
    heldOut: 'Sentences come from the corpus people generator on a separate seed (`suite:fairness-people`); an item is dropped when any of its 12 variant sentences occurs anywhere in the training text.',
    countedTags: ['group', 'naming', 'gender'],
    binary: true,
  };
}
