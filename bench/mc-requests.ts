/**
 * The multiple-choice request set the scoring benchmark uses: every knowledge-closed fact as a
 * 4-way choice (the true answer and 3 answers of other facts of the same relation), so the
 * shared-prefix path has a context to share, like a real MC suite.
 */
import { readJsonl } from '../core/jsonl.js';
import { packagePath } from '../core/paths.js';
import type { LoglikelihoodRequest } from '../core/requests.js';

/** Choices per question. */
export const CHOICES_PER_QUESTION = 4;

/** One knowledge-closed item: its question, first answer and relation tag. */
export interface Fact {
  readonly question: string;
  readonly answer: string;
  readonly relation: string;
}

/** The bundled knowledge-closed suite's items, in file order. */
export function knowledgeFacts(): Fact[] {
  return readJsonl(packagePath('suites', 'knowledge-closed', 'data.jsonl')).map(({ value }) => {
    const v = value as { question: string; answer: string[]; tags: { relation: string } };
    return { question: v.question, answer: v.answer[0], relation: v.tags.relation };
  });
}

/**
 * `questions` facts × {@link CHOICES_PER_QUESTION} requests, deterministic (distractors by
 * position), each question's requests one group; `first` skips that many facts (they may
 * serve as few-shot examples instead).
 */
export function multipleChoiceRequests(questions: number, first = 0): LoglikelihoodRequest[] {
  const facts = knowledgeFacts();
  const requests: LoglikelihoodRequest[] = [];
  for (const [i, fact] of facts.slice(first, first + questions).entries()) {
    const sameRelation = [...new Set(facts.filter((f) => f.relation === fact.relation && f.answer !== fact.answer).map((f) => f.answer))];
    const pool = sameRelation.length >= CHOICES_PER_QUESTION - 1 ? sameRelation : [...new Set(facts.map((f) => f.answer))].filter((a) => a !== fact.answer);
    const choices = [fact.answer];
    for (let k = 0; choices.length < CHOICES_PER_QUESTION && k < 4 * pool.length; k++) {
      const candidate = pool[(i * 7 + k * 13) % pool.length];
      if (!choices.includes(candidate)) choices.push(candidate);
    }
    // one group per question, as suites/execute.ts gives each instance's requests
    for (const choice of choices) requests.push({ context: `Q: ${fact.question}\nA:`, continuation: ` ${choice}`, group: String(first + i) });
  }
  return requests;
}
