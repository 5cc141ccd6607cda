import type { ChoiceOutcome, ScoreResult } from './types.js';

/** Index of the largest value; the first one on ties (as NumPy's argmax, which lm-evaluation-harness uses). */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Multiple-choice accuracy: 1 when the choice with the highest log-likelihood is the gold one. */
export function choiceAccuracy(o: ChoiceOutcome): ScoreResult {
  const picked = argmax(o.logprobs);
  return picked === o.gold ? { score: 1 } : { score: 0, reason: `picked choice ${picked}, gold ${o.gold}` };
}

/**
 * lm-evaluation-harness' `acc_norm`: argmax of log-likelihood divided by the choice's
 * length in characters, so long choices are not penalised for having more tokens.
 */
export function choiceAccuracyNorm(o: ChoiceOutcome): ScoreResult {
  const picked = argmax(o.logprobs.map((lp, i) => lp / Math.max(1, o.choices[i].length)));
  return picked === o.gold ? { score: 1 } : { score: 0, reason: `picked choice ${picked} (length-normalised), gold ${o.gold}` };
}
