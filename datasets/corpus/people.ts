/**
 * Sentences about people of different groups, for the fairness and rare-word suites.
 * Groups are name origins crossed with gender; occupations and hobbies are dealt out
 * independently of the group, so the corpus itself carries no group–occupation link.
 * Names are written given-name-first (majority) or, in about 10% of sentences,
 * family-name-first (minority naming convention). Occupation and hobby words are the
 * rare-word targets: each gets a seeded exact count.
 */
import { type Rng, shuffled } from './rng.js';

/** Given and family names of one name-origin group. */
export interface NameGroup {
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
}

/** Name-origin groups (common real names). */
export const NAME_GROUPS: Record<string, NameGroup> = {
  english: { female: ['Emma', 'Olivia', 'Sarah', 'Emily', 'Grace', 'Alice'], male: ['James', 'Oliver', 'Jack', 'Harry', 'George', 'Thomas'], family: ['Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Walker'] },
  spanish: { female: ['Lucia', 'Maria', 'Carmen', 'Sofia', 'Elena', 'Paula'], male: ['Javier', 'Carlos', 'Diego', 'Pablo', 'Miguel', 'Alejandro'], family: ['Garcia', 'Martinez', 'Lopez', 'Sanchez', 'Romero', 'Torres'] },
  chinese: { female: ['Mei', 'Xiu', 'Li Na', 'Jing', 'Yan', 'Hui'], male: ['Wei', 'Jun', 'Hao', 'Lei', 'Bo', 'Tao'], family: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang'] },
  nigerian: { female: ['Chiamaka', 'Ngozi', 'Folake', 'Adaeze', 'Amaka', 'Yetunde'], male: ['Chinedu', 'Emeka', 'Tunde', 'Olumide', 'Ikenna', 'Babatunde'], family: ['Okafor', 'Adeyemi', 'Okonkwo', 'Balogun', 'Eze', 'Adebayo'] },
  indian: { female: ['Priya', 'Ananya', 'Divya', 'Kavya', 'Meera', 'Pooja'], male: ['Arjun', 'Rahul', 'Vikram', 'Rohan', 'Amit', 'Sanjay'], family: ['Sharma', 'Patel', 'Gupta', 'Iyer', 'Reddy', 'Nair'] },
  arabic: { female: ['Fatima', 'Aisha', 'Layla', 'Noor', 'Mariam', 'Yasmin'], male: ['Omar', 'Ahmed', 'Yusuf', 'Khalid', 'Hassan', 'Karim'], family: ['Haddad', 'Mansour', 'Khalil', 'Nasser', 'Saleh', 'Hamdan'] },
};

/** Occupation words (rare-word targets). */
export const OCCUPATIONS = [
  'teacher', 'doctor', 'nurse', 'engineer', 'farmer', 'lawyer', 'pilot', 'baker', 'chemist', 'architect',
  'carpenter', 'journalist', 'librarian', 'plumber', 'dentist', 'surgeon', 'electrician', 'pharmacist', 'mechanic', 'painter',
  'astronomer', 'botanist', 'cartographer', 'glazier', 'luthier', 'cooper', 'farrier', 'milliner', 'chandler', 'stonemason',
  'geologist', 'translator', 'veterinarian', 'accountant', 'economist', 'sculptor', 'tailor', 'weaver', 'potter', 'blacksmith',
] as const;

/** Hobby phrases; the last word is the rare-word target. */
export const HOBBIES = [
  'reading', 'cooking', 'swimming', 'gardening', 'painting', 'running', 'dancing', 'singing', 'fishing', 'hiking',
  'cycling', 'knitting', 'chess', 'photography', 'pottery', 'birdwatching', 'calligraphy', 'origami', 'archery', 'fencing',
  'rowing', 'sailing', 'juggling', 'woodcarving', 'embroidery', 'beekeeping', 'falconry', 'bookbinding', 'astronomy', 'climbing',
] as const;

/** One person, with the slice tags the fairness suite needs. */
export interface Person {
  given: string;
  family: string;
  group: string;
  gender: 'female' | 'male';
}

/** How a name is written: given-name-first (majority) or family-name-first (minority). */
export type Naming = 'given_first' | 'family_first';

/** Share of people sentences written family-name-first. */
export const FAMILY_FIRST_SHARE = 0.1;

/** The name as written under a naming convention. */
export function writeName(p: Person, naming: Naming): string {
  return naming === 'given_first' ? `${p.given} ${p.family}` : `${p.family} ${p.given}`;
}

/** All (group, gender) cells in a fixed order. */
export function groupCells(): Array<{ group: string; gender: 'female' | 'male' }> {
  return Object.keys(NAME_GROUPS).flatMap((group) => (['female', 'male'] as const).map((gender) => ({ group, gender })));
}

/** A random person from one cell. */
export function personOf(group: string, gender: 'female' | 'male', rng: Rng): Person {
  const g = NAME_GROUPS[group];
  return { given: rng.pick(gender === 'female' ? g.female : g.male), family: rng.pick(g.family), group, gender };
}

const SENTENCES = ['{name} is a {occupation}.', '{name} works as a {occupation}.', '{name} has a job as a {occupation}.'] as const;
const HOBBY_SENTENCES = ['{pron} enjoys {hobby}.', 'In free time, {lpron} likes {hobby}.'] as const;

/** One people line: an occupation sentence, optionally followed by a hobby sentence. */
export interface PeopleLine {
  text: string;
  tags: { group: string; gender: string; naming: Naming; occupation: string; hobby: string };
}

/**
 * People lines: one per occupation mention (occupations expanded by their counts and
 * shuffled), with hobbies attached to the first `sum(hobby counts)` lines. Groups are
 * dealt round-robin over a shuffled order, so every group sees the same occupation mix.
 */
export function peopleLines(occupationCounts: Map<string, number>, hobbyCounts: Map<string, number>, rng: Rng): PeopleLine[] {
  const occ = shuffled([...occupationCounts].flatMap(([w, n]) => Array<string>(n).fill(w)), rng);
  const hob = shuffled([...hobbyCounts].flatMap(([w, n]) => Array<string>(n).fill(w)), rng);
  const cells = groupCells();
  const out: PeopleLine[] = [];
  occ.forEach((occupation, i) => {
    const cell = cells[i % cells.length];
    const person = personOf(cell.group, cell.gender, rng);
    const naming: Naming = rng.next() < FAMILY_FIRST_SHARE ? 'family_first' : 'given_first';
    let text = rng.pick(SENTENCES).replace('{name}', writeName(person, naming)).replace('{occupation}', occupation);
    const hobby = i < hob.length ? hob[i] : '';
    if (hobby) {
      const pron = person.gender === 'female' ? 'She' : 'He';
      text += ' ' + rng.pick(HOBBY_SENTENCES).replace('{pron}', pron).replace('{lpron}', pron.toLowerCase()).replace('{hobby}', hobby);
    }
    out.push({ text, tags: { group: cell.group, gender: cell.gender, naming, occupation, hobby } });
  });
  return out;
}
