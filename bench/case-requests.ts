/**
 * Request sets of the scoring cases (issue 15 item 5), all built from the bundled
 * knowledge-closed suite: a k-shot version whose header (the first k items with their
 * answers) is the same for every evaluated item, and a long-context version where one
 * passage made of the items' statements precedes every question.
 */
import type { LoglikelihoodRequest } from '../core/requests.js';
import { knowledgeFacts, multipleChoiceRequests } from './mc-requests.js';

/** `Q: …\nA: …` lines of facts `from`..`to`, one blank line after each. */
function shotLines(from: number, to: number): string {
  return knowledgeFacts()
    .slice(from, to)
    .map((f) => `Q: ${f.question}\nA: ${f.answer}\n\n`)
    .join('');
}

/**
 * `questions` multiple-choice questions, each preceded by the same `shots`-example header: the
 * suite's first `shots` items answered; the evaluated items start after them, so no item is
 * ever in its own header.
 */
export function fewShotRequests(questions: number, shots: number): LoglikelihoodRequest[] {
  const header = shotLines(0, shots);
  return multipleChoiceRequests(questions, shots).map((r) => ({ ...r, context: header + r.context }));
}

/**
 * One passage of at least `passageTokens` tokens (statements `question answer.` of successive
 * items, counted with `countTokens`, and at least the first `questions` items), then
 * `questions` multiple-choice questions about those items.
 */
export function longContextRequests(questions: number, passageTokens: number, countTokens: (text: string) => number): { requests: LoglikelihoodRequest[]; passageTokens: number } {
  const facts = knowledgeFacts();
  let passage = '';
  let count = 0;
  for (let i = 0; i < facts.length && (count < passageTokens || i < questions); i++) {
    passage += `${facts[i].question} ${facts[i].answer}. `;
    count = countTokens(passage);
  }
  const head = `${passage.trimEnd()}\n\n`;
  return { requests: multipleChoiceRequests(questions).map((r) => ({ ...r, context: head + r.context })), passageTokens: count };
}
