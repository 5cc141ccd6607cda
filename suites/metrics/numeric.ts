import { clip } from './generation.js';
import type { GenerationOutcome, ScoreResult } from './types.js';

const FINAL_ANSWER = /####\s*(-?[$\d][\d,]*(?:\.\d+)?)/;
const ANY_NUMBER = /-?\$?\d[\d,]*(?:\.\d+)?/g;

/**
 * The answer number in a text: the one after GSM8K's `#### ` marker when present,
 * otherwise the last number (lm-evaluation-harness' "flexible-extract" for gsm8k).
 * Thousands commas and `$` are removed: "$1,000." → 1000. Undefined when none.
 */
export function extractNumber(text: string): number | undefined {
  const marked = FINAL_ANSWER.exec(text);
  const matches = text.match(ANY_NUMBER);
  const raw = marked ? marked[1] : matches?.[matches.length - 1];
  if (raw === undefined) return undefined;
  const value = Number(raw.replace(/[$,]/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

/** 1 when the number extracted from the output equals the number of some alias (relative tolerance 1e-9). */
export function numericMatch(o: GenerationOutcome): ScoreResult {
  const got = extractNumber(o.text);
  if (got === undefined) return { score: 0, reason: `no number in '${clip(o.text)}'` };
  const gold = o.answers.map(extractNumber).filter((x): x is number => x !== undefined);
  if (gold.length === 0) return { score: 0, reason: 'the gold answer holds no number' };
  const hit = gold.some((g) => Math.abs(got - g) <= 1e-9 * Math.max(1, Math.abs(g)));
  return hit ? { score: 1 } : { score: 0, reason: `extracted ${got}, expected ${gold.join(' or ')}` };
}
