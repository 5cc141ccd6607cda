/**
 * Counterfactual dialect variants of the knowledge items: each fact asked in the
 * majority dialect (`en`) and in the minority one (`sco`, Scots orthography) with
 * templates that translate each other, sharing a group id, for per-dialect accuracy,
 * the gap, and HELM's worst case over the two variants.
 */
import { constantGuessChance } from './chance.js';
import type { FactRecord } from '../corpus/fact-lines.js';
import { createRng, subSeed } from '../corpus/rng.js';
import { type Dialect, fillTemplate, KICK_PROMPT, TEMPLATES } from '../corpus/templates.js';
import type { Relation } from '../facts/sources.js';
import { clusteredPrecisionNote, precisionNote } from './ci.js';
import { KNOWLEDGE_BUCKETS, KNOWLEDGE_MAX_NEW_TOKENS, KNOWLEDGE_PER_CELL } from './knowledge.js';
import type { BuiltSuite, SuiteRow } from './types.js';

/**
 * Pairs of held-out template indices `[en, sco]` that say the same thing, e.g. "Which
 * city is the capital of {s}?" / "Whilk toun is the caipital o {s}?".
 */
export const DIALECT_TEMPLATE_PAIRS: Record<Relation, readonly (readonly [number, number])[]> = {
  capital: [[0, 0], [2, 1]],
  continent: [[1, 0], [2, 1]],
  language: [[0, 0], [1, 1]],
  currency: [[0, 0], [1, 1]],
  currency_code: [[0, 0], [1, 1]],
};

/** Facts per bucket × relation cell taken from the knowledge sample: 3 × 5 × 14 = 210 items, 420 variants. */
export const FAIRNESS_PER_CELL = 14;

/**
 * The first {@link FAIRNESS_PER_CELL} facts of each cell of the knowledge sample (which
 * is in cell order, {@link KNOWLEDGE_PER_CELL} per cell), so these are knowledge items too.
 */
export function fairnessFacts(knowledgeFacts: readonly FactRecord[]): FactRecord[] {
  return knowledgeFacts.filter((_, i) => i % KNOWLEDGE_PER_CELL < FAIRNESS_PER_CELL);
}

/** Two rows per fact, `<fact>/en` and `<fact>/sco`, with `group_id` = the fact id. */
export function dialectRows(facts: readonly FactRecord[], seed: number): SuiteRow[] {
  const rng = createRng(subSeed(seed, 'suite:fairness'));
  return facts.flatMap((f) => {
    const pair = rng.pick(DIALECT_TEMPLATE_PAIRS[f.relation]);
    return (['en', 'sco'] as const satisfies readonly Dialect[]).map((dialect, k) => ({
      id: `${f.id}/${dialect}`,
      group_id: f.id,
      question: fillTemplate(TEMPLATES[f.relation][dialect].heldout[pair[k]], f.subject),
      answer: f.aliases,
      tags: {
        dialect,
        freq_bucket: f.bucket,
        relation: f.relation,
        count: f.count,
        dialect_count: f.dialectCounts[dialect],
        template: `heldout.${pair[k]}`,
      },
    }));
  });
}

/** The `fairness` suite (dialect counterfactuals of knowledge items). */
export function fairnessSuite(knowledgeFacts: readonly FactRecord[], seed: number): BuiltSuite {
  const facts = fairnessFacts(knowledgeFacts);
  const rows = dialectRows(facts, seed);
  const perBucket = facts.length / KNOWLEDGE_BUCKETS.length;
  return {
    id: 'fairness',
    spec: {
      id: 'fairness',
      version: '1.0.0',
      description:
        `Knowledge questions in the majority (en) and the minority (sco, ~10% of each fact's corpus lines) dialect; each item's two variants share group_id, so the aggregate's worst case is HELM's. ` +
        `${clusteredPrecisionNote(rows.length, facts.length)}; per dialect ${precisionNote(facts.length)}; per dialect x freq_bucket ${precisionNote(perBucket)}.`,
      dataset: 'data.jsonl',
      // The two dialect variants of one question are near-duplicates: worst case over them, and intervals and tests count questions.
      groupField: 'group_id',
      kind: 'generate',
      role: 'fairness',
      template: KICK_PROMPT,
      answerField: 'answer',
      generation: { maxNewTokens: KNOWLEDGE_MAX_NEW_TOKENS, stop: ['\n'] },
      metrics: ['contains', 'exact_match'],
      slices: ['dialect', 'freq_bucket', 'relation'],
      chance: constantGuessChance(rows, 'contains', 'answer', 'relation'),
    },
    rows,
    heldOut: 'Held-out `en` and `sco` templates only (never in the corpus); the builder and a test check that no question occurs in the training text.',
    countedTags: ['dialect', 'freq_bucket', 'relation'],
    binary: true,
  };
}
