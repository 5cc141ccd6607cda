/**
 * Chance levels of the bundled suites: what a model that ignores the item would score on
 * the suite's main metric. "Clearly above chance" is judged against these, so each is
 * the strongest item-blind baseline that is cheap to state:
 * - open answers (knowledge, fairness, arithmetic): the best constant guess per slice,
 *   i.e. always answering the slice's most frequent gold answer;
 * - answers named in the question (a comparison's two numbers, a chain's three names,
 *   yes/no, multiple-choice options): one over the number of options;
 * - text (perplexity): a byte-unigram model fitted to the training text, in bits per byte.
 */
import { normalizeAnswer } from '../../core/text.js';
import type { SuiteRow } from './types.js';

/** A suite's chance level on one metric, stored in suite.json as `chance`. */
export interface ChanceLevel {
  readonly metric: string;
  readonly value: number;
  /** Chance per value of one slice tag (e.g. reasoning skill), when it differs by slice. */
  readonly bySlice?: { readonly tag: string; readonly values: Readonly<Record<string, number>> };
  /** How the value was computed, one sentence. */
  readonly how: string;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function aliasesOf(row: SuiteRow, field: string): string[] {
  const v = row[field];
  return (Array.isArray(v) ? v : [v]).map((a) => normalizeAnswer(String(a)));
}

function tagOf(row: SuiteRow, tag: string): string {
  return String(((row.tags ?? {}) as Record<string, unknown>)[tag] ?? '');
}

/**
 * The best constant guess within each value of `groupTag`: the most frequent first alias
 * (ties: the lexically first), scored as a hit when it is one of the item's aliases.
 * Returns the per-row hit (0/1), in row order.
 */
export function constantGuessHits(rows: readonly SuiteRow[], answerField: string, groupTag: string): number[] {
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const g = tagOf(r, groupTag);
    const byAnswer = counts.get(g) ?? new Map<string, number>();
    const first = aliasesOf(r, answerField)[0];
    byAnswer.set(first, (byAnswer.get(first) ?? 0) + 1);
    counts.set(g, byAnswer);
  }
  const guess = new Map<string, string>();
  for (const [g, byAnswer] of counts) {
    const best = [...byAnswer].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0][0];
    guess.set(g, best);
  }
  return rows.map((r) => (aliasesOf(r, answerField).includes(guess.get(tagOf(r, groupTag))!) ? 1 : 0));
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Chance of a generate suite with open answers: the best constant guess per `groupTag`. */
export function constantGuessChance(rows: readonly SuiteRow[], metric: string, answerField: string, groupTag: string): ChanceLevel {
  return {
    metric,
    value: round4(mean(constantGuessHits(rows, answerField, groupTag))),
    how: `always answering the most frequent gold answer of the item's \`${groupTag}\` (best constant guess)`,
  };
}

/**
 * Chance of one reasoning item: 1/2 for a comparison of two numbers or a yes/no chain,
 * 1/3 for "who is the most/least" over three names; `constantHit` (the best constant
 * guess of its skill) for arithmetic.
 */
export function reasoningItemChance(skill: string, question: string, constantHit: number): number {
  if (skill === 'comparison') return 1 / 2;
  if (skill === 'chain') return /\bWho is the\b/u.test(question) ? 1 / 3 : 1 / 2;
  return constantHit;
}

/** Chance of the reasoning suite: per-item chance averaged, overall and per `skill`. */
export function reasoningChance(rows: readonly SuiteRow[], metric: string): ChanceLevel {
  const hits = constantGuessHits(rows, 'answer', 'skill');
  const bySkill = new Map<string, number[]>();
  const all = rows.map((r, i) => {
    const skill = tagOf(r, 'skill');
    const c = reasoningItemChance(skill, String(r.question), hits[i]);
    bySkill.set(skill, [...(bySkill.get(skill) ?? []), c]);
    return c;
  });
  return {
    metric,
    value: round4(mean(all)),
    bySlice: { tag: 'skill', values: Object.fromEntries([...bySkill].map(([s, cs]) => [s, round4(mean(cs))])) },
    how: 'per item: 1/2 for a two-number comparison or a yes/no chain, 1/3 for "who is the most/least" of three names, the best constant guess per skill for arithmetic; averaged',
  };
}

/**
 * Chance of a target-word NLL: every token uniform over the vocabulary, so an item costs
 * (tokens scored for its word) × ln V nats; `tokensOf` gives that count per row.
 */
export function uniformTokenNllChance(rows: readonly SuiteRow[], metric: string, tokensOf: (row: SuiteRow) => number, vocabSize: number): ChanceLevel {
  return {
    metric,
    value: round4(mean(rows.map((r) => tokensOf(r) * Math.log(vocabSize)))),
    how: `every token uniform over the ${vocabSize}-token vocabulary: (tokens scored for the word) × ln ${vocabSize} nats; lower is better, so a model beats chance by scoring below it`,
  };
}

/** Chance of a multiple-choice suite: the mean of 1 / (number of choices). */
export function choiceChance(rows: readonly SuiteRow[], metric: string, choicesField: string): ChanceLevel {
  return {
    metric,
    value: round4(mean(rows.map((r) => 1 / (r[choicesField] as unknown[]).length))),
    how: 'picking one of the choices at random',
  };
}

/**
 * Bits per byte of `text` under a byte-unigram model of `training` (add-one smoothing
 * over the 256 byte values): what a model that knows only letter frequencies scores.
 */
export function byteUnigramBitsPerByte(training: string, text: string): number {
  const counts = new Float64Array(256).fill(1);
  const train = Buffer.from(training, 'utf8');
  for (const b of train) counts[b]++;
  const total = train.length + 256;
  const bytes = Buffer.from(text, 'utf8');
  let bits = 0;
  for (const b of bytes) bits -= Math.log2(counts[b] / total);
  return bits / bytes.length;
}
