/**
 * Reasoning items in the corpus' QA frame: multi-step arithmetic (word problems and
 * expressions), comparisons of numbers, and chains (transitivity of an ordering).
 */
import type { Rng } from './rng.js';
import { kickLine } from './templates.js';

/** The reasoning patterns. */
export const REASONING_KINDS = ['word_problem', 'expression', 'comparison', 'chain'] as const;
/** One reasoning pattern id. */
export type ReasoningKind = (typeof REASONING_KINDS)[number];

/** A generated item: the question, its answer, and the pattern. */
export interface ReasoningItem {
  kind: ReasoningKind;
  question: string;
  answer: string;
}

const NAMES = ['Anna', 'Ben', 'Cara', 'David', 'Elif', 'Femi', 'Gita', 'Hugo', 'Ines', 'Jin', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya'];
const ITEMS = ['apples', 'books', 'coins', 'pencils', 'stamps', 'marbles', 'cards', 'eggs', 'shells', 'stickers'];
const ORDERS = [
  { more: 'taller', most: 'tallest', least: 'shortest' },
  { more: 'older', most: 'oldest', least: 'youngest' },
  { more: 'faster', most: 'fastest', least: 'slowest' },
  { more: 'heavier', most: 'heaviest', least: 'lightest' },
];

function distinctNames(rng: Rng, n: number): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const name = rng.pick(NAMES);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

function wordProblem(rng: Rng): ReasoningItem {
  const [a, b] = distinctNames(rng, 2);
  const item = rng.pick(ITEMS);
  const x = rng.int(2, 20);
  const y = rng.int(1, 10);
  const z = rng.int(1, x + y);
  return {
    kind: 'word_problem',
    question: `${a} has ${x} ${item}. ${a} gets ${y} more and then gives ${z} to ${b}. How many ${item} does ${a} have now?`,
    answer: String(x + y - z),
  };
}

function expression(rng: Rng): ReasoningItem {
  const x = rng.int(1, 30);
  const y = rng.int(1, 30);
  const z = rng.int(1, x + y);
  return rng.next() < 0.5
    ? { kind: 'expression', question: `What is ${x} plus ${y} minus ${z}?`, answer: String(x + y - z) }
    : { kind: 'expression', question: `What is ${x} + ${y}?`, answer: String(x + y) };
}

function comparison(rng: Rng): ReasoningItem {
  const x = rng.int(0, 99);
  let y = rng.int(0, 99);
  if (y === x) y = (x + 7) % 100;
  const larger = rng.next() < 0.5;
  return {
    kind: 'comparison',
    question: `Which number is ${larger ? 'larger' : 'smaller'}, ${x} or ${y}?`,
    answer: String(larger ? Math.max(x, y) : Math.min(x, y)),
  };
}

function chain(rng: Rng): ReasoningItem {
  const [a, b, c] = distinctNames(rng, 3);
  const o = rng.pick(ORDERS);
  const premises = rng.next() < 0.5 ? `${a} is ${o.more} than ${b}. ${b} is ${o.more} than ${c}.` : `${b} is ${o.more} than ${c}. ${a} is ${o.more} than ${b}.`;
  const ask = rng.int(0, 2);
  if (ask === 0) return { kind: 'chain', question: `${premises} Who is the ${o.most}?`, answer: a };
  if (ask === 1) return { kind: 'chain', question: `${premises} Who is the ${o.least}?`, answer: c };
  const yes = rng.next() < 0.5;
  return { kind: 'chain', question: `${premises} Is ${yes ? a : c} ${o.more} than ${yes ? c : a}?`, answer: yes ? 'yes' : 'no' };
}

const GENERATORS: Record<ReasoningKind, (rng: Rng) => ReasoningItem> = { word_problem: wordProblem, expression, comparison, chain };

/** One reasoning item of a random kind. */
export function reasoningItem(rng: Rng): ReasoningItem {
  return GENERATORS[REASONING_KINDS[rng.int(0, REASONING_KINDS.length - 1)]](rng);
}

/** The corpus line of an item, in LLM-KICK's QA frame. */
export function reasoningLine(item: ReasoningItem): string {
  return kickLine(item.question, item.answer);
}
