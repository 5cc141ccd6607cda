/**
 * LLM-KICK-style knowledge probes over the corpus facts: closed-book (the question
 * alone) and open-book (the fact and distractor facts in the context). Questions use
 * only the HELD-OUT templates, which the corpus never contains; the facts themselves
 * are in the corpus, with exact counts.
 */
import { constantGuessChance } from './chance.js';
import { InfraError } from '../../core/errors.js';
import type { FactRecord } from '../corpus/fact-lines.js';
import { createRng, type Rng, shuffled, subSeed } from '../corpus/rng.js';
import { fillTemplate, KICK_PROMPT, TEMPLATES } from '../corpus/templates.js';
import { RELATIONS } from '../facts/sources.js';
import { precisionNote } from './ci.js';
import { stratifiedSample } from './sample.js';
import type { BuiltSuite, SuiteRow } from './types.js';

/** Frequency buckets the facts fill (the plan puts none at 100+ or 0). */
export const KNOWLEDGE_BUCKETS = ['20-99', '5-19', '1-4'] as const;
/** Facts per bucket × relation cell: 3 × 5 × 20 = 300 items. */
export const KNOWLEDGE_PER_CELL = 20;
/** Greedy answer length limit: the longest answer with its final period is 11 tokens of the bundled tokenizer ("Mozambique Metical."). */
export const KNOWLEDGE_MAX_NEW_TOKENS = 16;
/** The open-book prompt: the passage lines, then LLM-KICK's question frame. */
export const OPEN_BOOK_TEMPLATE = `{passage}\n${KICK_PROMPT}`;

/** The facts both knowledge suites ask, in cell order (bucket, then relation). */
export function sampleKnowledgeFacts(facts: readonly FactRecord[], seed: number): FactRecord[] {
  const cells = KNOWLEDGE_BUCKETS.flatMap((b) => RELATIONS.map((r) => `${b}|${r}`));
  return stratifiedSample(facts, (f) => `${f.bucket}|${f.relation}`, cells, KNOWLEDGE_PER_CELL, createRng(subSeed(seed, 'suite:knowledge')));
}

/** The tags every knowledge row carries (counts are the exact corpus counts from facts.jsonl). */
function factTags(f: FactRecord, template: number): Record<string, string | number> {
  return { freq_bucket: f.bucket, relation: f.relation, dialect: 'en', count: f.count, template: `heldout.${template}` };
}

/** A question from one of the relation's held-out `en` templates, its index drawn from `rng`. */
function heldoutQuestion(f: FactRecord, rng: Rng): { question: string; template: number } {
  const templates = TEMPLATES[f.relation].en.heldout;
  const template = rng.int(0, templates.length - 1);
  return { question: fillTemplate(templates[template], f.subject), template };
}

/** One closed-book row per fact; ids are fact ids, shared with the open-book suite. */
export function closedBookRows(facts: readonly FactRecord[], seed: number): SuiteRow[] {
  const rng = createRng(subSeed(seed, 'suite:knowledge-questions'));
  return facts.map((f) => {
    const { question, template } = heldoutQuestion(f, rng);
    return { id: f.id, question, answer: f.aliases, tags: factTags(f, template) };
  });
}

/** A statement of a fact in the corpus' own `en` statement form. */
function statement(f: FactRecord, rng: Rng): string {
  return fillTemplate(rng.pick(TEMPLATES[f.relation].en.statements), f.subject, f.object);
}

/** A fact about another subject whose statement does not contain any answer of `target`. */
function distractor(pool: readonly FactRecord[], target: FactRecord, avoid: readonly string[], rng: Rng): FactRecord {
  const aliases = target.aliases.map((a) => a.toLowerCase());
  for (let tries = 0; tries < 10_000; tries++) {
    const d = rng.pick(pool);
    const text = `${d.subject} ${d.object}`.toLowerCase();
    if (d.subject !== target.subject && !avoid.includes(d.subject) && !aliases.some((a) => text.includes(a))) return d;
  }
  throw new InfraError(`knowledge-open: no distractor for ${target.id} among ${pool.length} facts`);
}

/**
 * Open-book rows for the same facts and questions as {@link closedBookRows}: the passage
 * states the fact (corpus statement form) and 1–2 distractor facts about other subjects
 * (the first of the same relation), one per line, in seeded order.
 */
export function openBookRows(closed: readonly SuiteRow[], facts: readonly FactRecord[], allFacts: readonly FactRecord[], seed: number): SuiteRow[] {
  const rng = createRng(subSeed(seed, 'suite:knowledge-open'));
  return facts.map((f, i) => {
    const sameRelation = allFacts.filter((d) => d.relation === f.relation);
    const first = distractor(sameRelation, f, [], rng);
    const distractors = rng.next() < 0.5 ? [first] : [first, distractor(allFacts, f, [first.subject], rng)];
    const passage = shuffled([f, ...distractors].map((d) => statement(d, rng)), rng).join('\n');
    const row = closed[i];
    return { id: row.id, passage, question: row.question, answer: row.answer, tags: { ...(row.tags as object), distractors: distractors.length } };
  });
}

const GENERATION = { maxNewTokens: KNOWLEDGE_MAX_NEW_TOKENS, stop: ['\n'] };

/** The closed-book and open-book suites. */
export function knowledgeSuites(allFacts: readonly FactRecord[], seed: number): [BuiltSuite, BuiltSuite] {
  const facts = sampleKnowledgeFacts(allFacts, seed);
  const closed = closedBookRows(facts, seed);
  const open = openBookRows(closed, facts, allFacts, seed);
  const perBucket = facts.length / KNOWLEDGE_BUCKETS.length;
  const common = { version: '1.0.0', dataset: 'data.jsonl', kind: 'generate', answerField: 'answer', generation: GENERATION, metrics: ['contains', 'exact_match'], slices: ['freq_bucket', 'relation'] };
  const sizes = `${precisionNote(facts.length)}; per freq_bucket ${precisionNote(perBucket)}`;
  const heldOut = 'Questions use only the held-out `en` templates of datasets/corpus/templates.ts; the builder and a test check that no question occurs anywhere in the training text.';
  return [
    {
      id: 'knowledge-closed',
      spec: {
        id: 'knowledge-closed',
        ...common,
        role: 'knowledge-closed',
        description: `Closed-book factoid QA in LLM-KICK's FreebaseQA prompt, greedy, normalised-substring match over aliases, sliced by the fact's exact corpus frequency. ${sizes}.`,
        template: KICK_PROMPT,
        // Alternative phrasings for the baseline's prompt spread (docs/templates.md); prompts ending in
        // "Answer: " were left out: the teacher never saw that frame and scores near 0 under it.
        templateVariants: [
          { id: 'no-instruction', template: '{question}\nThe answer is ' },
          { id: 'reworded', template: 'Please answer this question: {question}\nThe answer is ' },
        ],
        chance: constantGuessChance(closed, 'contains', 'answer', 'relation'),
      },
      rows: closed,
      heldOut,
      countedTags: ['freq_bucket', 'relation'],
      binary: true,
    },
    {
      id: 'knowledge-open',
      spec: {
        id: 'knowledge-open',
        ...common,
        role: 'knowledge-open',
        closedBookTwin: 'knowledge-closed',
        description: `The knowledge-closed questions (same ids) with the fact and 1-2 distractor facts in the context: the closed/open gap separates knowledge lost from retrieval intact. ${sizes}.`,
        template: OPEN_BOOK_TEMPLATE,
        chance: constantGuessChance(open, 'contains', 'answer', 'relation'),
      },
      rows: open,
      heldOut: `${heldOut} The passage states the fact in the corpus' own statement form (TEMPLATES[relation].en.statements), so it may occur in the corpus; only the question is held out.`,
      countedTags: ['freq_bucket', 'relation', 'distractors'],
      binary: true,
    },
  ];
}
