import { normalizeAnswer } from '../../core/text.js';

export { normalizeAnswer };

/** Tokens of the normalised text (whitespace split). */
export function answerTokens(text: string): string[] {
  const norm = normalizeAnswer(text);
  return norm === '' ? [] : norm.split(' ');
}
