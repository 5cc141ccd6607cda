import { answerTokens, normalizeAnswer } from './normalize.js';
import type { GenerationOutcome, ScoreResult } from './types.js';

/** 1 when the normalised output equals some normalised alias (SQuAD exact match, max over aliases). */
export function exactMatch(o: GenerationOutcome): ScoreResult {
  const out = normalizeAnswer(o.text);
  const hit = o.answers.some((a) => normalizeAnswer(a) === out);
  return hit ? { score: 1 } : { score: 0, reason: `'${clip(o.text)}' matches none of ${o.answers.length} aliases` };
}

/**
 * 1 when some normalised alias occurs in the normalised output on token boundaries
 * (LLM-KICK's normalised-substring match for free-form answers; boundaries keep "1"
 * from matching inside "10"). Aliases that normalise to nothing never match.
 */
export function contains(o: GenerationOutcome): ScoreResult {
  const out = ` ${normalizeAnswer(o.text)} `;
  const usable = o.answers.map(normalizeAnswer).filter((a) => a !== '');
  if (usable.length === 0) return { score: 0, reason: 'every alias is empty after normalisation' };
  const hit = usable.some((a) => out.includes(` ${a} `));
  return hit ? { score: 1 } : { score: 0, reason: `no alias found in '${clip(o.text)}'` };
}

/**
 * SQuAD token F1 (bag-of-tokens overlap of normalised output and alias), max over
 * aliases. Both empty counts as a match (1), one empty as 0, as in SQuAD 2.0's script.
 */
export function tokenF1(o: GenerationOutcome): ScoreResult {
  const pred = answerTokens(o.text);
  let best = 0;
  for (const alias of o.answers) best = Math.max(best, f1(pred, answerTokens(alias)));
  return best === 0 ? { score: 0, reason: `no token overlap with any alias in '${clip(o.text)}'` } : { score: best };
}

function f1(pred: readonly string[], gold: readonly string[]): number {
  if (pred.length === 0 || gold.length === 0) return pred.length === gold.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of gold) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of pred) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / pred.length;
  const recall = common / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/** The text shortened for a reason string. */
export function clip(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
