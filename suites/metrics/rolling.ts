import type { RatioParts, RollingOutcome, ScoreResult } from './types.js';

/** Per-instance perplexity exp(NLL / tokens); the suite aggregate is exp(Σ NLL / Σ tokens). */
export function perplexity(o: RollingOutcome): ScoreResult {
  if (o.tokenCount === 0) return { score: 0, reason: 'no tokens scored' };
  return { score: Math.exp(o.nllSum / o.tokenCount) };
}

/** The NLL and token count behind {@link perplexity}. */
export function perplexityParts(o: RollingOutcome): RatioParts {
  return { num: o.nllSum, den: o.tokenCount };
}

/** Bits per UTF-8 byte, NLL / ln 2 / bytes: comparable across tokenizers, unlike perplexity. */
export function bitsPerByte(o: RollingOutcome): ScoreResult {
  if (o.byteCount === 0) return { score: 0, reason: 'empty text' };
  return { score: o.nllSum / Math.LN2 / o.byteCount };
}

/** The bits and byte count behind {@link bitsPerByte}. */
export function bitsPerByteParts(o: RollingOutcome): RatioParts {
  return { num: o.nllSum / Math.LN2, den: o.byteCount };
}

/** Mean negative log-likelihood (nats) of the instance's target words given the text before each. */
export function wordNll(o: RollingOutcome): ScoreResult {
  if (o.targets.length === 0) return { score: 0, reason: 'no target words' };
  return { score: -o.targets.reduce((s, t) => s + t.logprob, 0) / o.targets.length };
}

/** Summed target-word NLL and the word count behind {@link wordNll}. */
export function wordNllParts(o: RollingOutcome): RatioParts {
  return { num: -o.targets.reduce((s, t) => s + t.logprob, 0), den: o.targets.length };
}

/** Share of the target words greedy decoding would produce (rare-word accuracy). */
export function wordAccuracy(o: RollingOutcome): ScoreResult {
  if (o.targets.length === 0) return { score: 0, reason: 'no target words' };
  return { score: o.targets.filter((t) => t.isGreedy).length / o.targets.length };
}

/** Greedy target words and the word count behind {@link wordAccuracy}. */
export function wordAccuracyParts(o: RollingOutcome): RatioParts {
  return { num: o.targets.filter((t) => t.isGreedy).length, den: o.targets.length };
}
