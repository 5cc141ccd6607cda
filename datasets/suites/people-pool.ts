/**
 * Held-out people sentences for the rare-word and people-fairness suites: the corpus'
 * own generator (`peopleLines`) on a suite seed, with the person recovered from each
 * line so the same sentence can be rewritten with a name of another group or naming
 * convention (a counterfactual that changes only the name).
 */
import { NAME_GROUPS, type Naming, peopleLines, type Person, writeName } from '../corpus/people.js';
import { createRng, subSeed } from '../corpus/rng.js';
import { type CorpusIndex, occursInCorpus } from './corpus-index.js';

/** A generated people line with its person (name indices into {@link NAME_GROUPS}). */
export interface PoolLine {
  readonly text: string;
  readonly person: Person;
  readonly naming: Naming;
  /** Index of the given name in its group's female/male list. */
  readonly givenIndex: number;
  /** Index of the family name in its group's list. */
  readonly familyIndex: number;
  readonly occupation: string;
  /** The hobby word, or '' when the line has no hobby sentence. */
  readonly hobby: string;
}

/**
 * People lines from the corpus generator on `subSeed(seed, salt)`, each occupation and
 * hobby `perWord` times, keeping only lines that occur nowhere in the training text.
 */
export function peoplePool(
  index: CorpusIndex,
  occupations: readonly string[],
  hobbies: readonly string[],
  perWord: number,
  seed: number,
  salt: string,
): PoolLine[] {
  const occ = new Map(occupations.map((w) => [w, perWord]));
  const hob = new Map(hobbies.map((w) => [w, perWord]));
  const out: PoolLine[] = [];
  for (const line of peopleLines(occ, hob, createRng(subSeed(seed, salt)))) {
    if (occursInCorpus(index, line.text)) continue;
    const g = NAME_GROUPS[line.tags.group];
    const gender = line.tags.gender as Person['gender'];
    const givens = gender === 'female' ? g.female : g.male;
    let found: PoolLine | undefined;
    givens.forEach((given, gi) =>
      g.family.forEach((family, fi) => {
        const person: Person = { given, family, group: line.tags.group, gender };
        if (!found && line.text.startsWith(`${writeName(person, line.tags.naming)} `)) {
          found = { text: line.text, person, naming: line.tags.naming, givenIndex: gi, familyIndex: fi, occupation: line.tags.occupation, hobby: line.tags.hobby };
        }
      }),
    );
    if (found) out.push(found);
  }
  return out;
}

/** The person with the same name indices in another group (same gender). */
export function counterpart(line: PoolLine, group: string): Person {
  const g = NAME_GROUPS[group];
  const givens = line.person.gender === 'female' ? g.female : g.male;
  return { given: givens[line.givenIndex], family: g.family[line.familyIndex], group, gender: line.person.gender };
}

/** The line with its name replaced by `person` written under `naming`; the rest of the text is unchanged. */
export function rewriteName(line: PoolLine, person: Person, naming: Naming): string {
  return writeName(person, naming) + line.text.slice(writeName(line.person, line.naming).length);
}

/** The occupation sentence alone (the text up to and including its first period). */
export function occupationSentence(text: string): string {
  return text.slice(0, text.indexOf('.') + 1);
}
