/**
 * Reasoning items from the corpus' own generators (`reasoningItem`) on a suite seed,
 * disjoint from the corpus: an item whose question occurs anywhere in the training
 * text is dropped. Asked in the corpus' QA frame, answered by greedy generation.
 */
import { reasoningChance } from './chance.js';
import { createRng, subSeed } from '../corpus/rng.js';
import { REASONING_KINDS, type ReasoningItem, reasoningItem } from '../corpus/reasoning.js';
import { KICK_PROMPT } from '../corpus/templates.js';
import { precisionNote } from './ci.js';
import { type CorpusIndex, occursInCorpus } from './corpus-index.js';
import type { BuiltSuite, SuiteRow } from './types.js';

/** Items per skill: 4 × 65 = 260. */
export const REASONING_PER_SKILL = 65;

/**
 * Reasoning steps of an item: a word problem or "x plus y minus z" is two operations,
 * "x + y" one, a comparison one, a chain two premises combined by transitivity.
 */
export function reasoningSteps(item: ReasoningItem): number {
  if (item.kind === 'expression') return item.question.includes(' minus ') ? 2 : 1;
  return item.kind === 'comparison' ? 1 : 2;
}

/** Rows in skill order, ids `<skill>-<k>`; questions are unique and absent from the corpus. */
export function reasoningRows(index: CorpusIndex, seed: number): SuiteRow[] {
  const rng = createRng(subSeed(seed, 'suite:reasoning'));
  const bySkill = new Map<string, ReasoningItem[]>(REASONING_KINDS.map((k) => [k, []]));
  const seen = new Set<string>();
  let full = 0;
  while (full < REASONING_KINDS.length) {
    const item = reasoningItem(rng);
    const list = bySkill.get(item.kind)!;
    if (list.length === REASONING_PER_SKILL || seen.has(item.question) || occursInCorpus(index, item.question)) continue;
    seen.add(item.question);
    list.push(item);
    if (list.length === REASONING_PER_SKILL) full++;
  }
  return REASONING_KINDS.flatMap((skill) =>
    bySkill.get(skill)!.map((item, k) => ({
      id: `${skill}-${String(k).padStart(2, '0')}`,
      question: item.question,
      answer: item.answer,
      tags: { skill, steps: reasoningSteps(item) },
    })),
  );
}

/** The `reasoning` suite. */
export function reasoningSuite(index: CorpusIndex, seed: number): BuiltSuite {
  const rows = reasoningRows(index, seed);
  return {
    id: 'reasoning',
    spec: {
      id: 'reasoning',
      version: '1.0.0',
      description:
        `Multi-step arithmetic (word problems, expressions), number comparisons and transitive chains in the corpus' QA frame, greedy; answers are integers, names or yes/no, so exact_match is the main metric. ` +
        `${precisionNote(rows.length)}; per skill ${precisionNote(REASONING_PER_SKILL)}.`,
      dataset: 'data.jsonl',
      kind: 'generate',
      role: 'reasoning',
      template: KICK_PROMPT,
      answerField: 'answer',
      generation: { maxNewTokens: 8, stop: ['\n'] },
      metrics: ['exact_match', 'contains'],
      slices: ['skill', 'steps'],
      chance: reasoningChance(rows, 'exact_match'),
    },
    rows,
    heldOut: "The corpus' reasoning generators on their own seed (`suite:reasoning`, the corpus uses `reasoning` and `heldout`); an item is dropped when its question occurs anywhere in the training text, and questions are unique.",
    countedTags: ['skill', 'steps'],
    binary: true,
  };
}
