import type { RequestKindId } from '../spec.js';
import { choiceAccuracy, choiceAccuracyNorm } from './choice.js';
import { contains, exactMatch, tokenF1 } from './generation.js';
import { numericMatch } from './numeric.js';
import { likelihoodDiff, stereotypePreference } from './pair.js';
import {
  bitsPerByte,
  bitsPerByteParts,
  perplexity,
  perplexityParts,
  wordAccuracy,
  wordAccuracyParts,
  wordNll,
  wordNllParts,
} from './rolling.js';
import type {
  ChoiceOutcome,
  GenerationOutcome,
  PairOutcome,
  RatioParts,
  RollingOutcome,
  ScoreResult,
} from './types.js';

interface MetricBase {
  /** One line for `compbench suites list` and reports. */
  readonly description: string;
  readonly higherIsBetter: boolean;
  /** Per-instance scores are 0/1 (Wilson interval, flips, McNemar). */
  readonly binary: boolean;
  /** The unit of the value, for reports ('' for a share). */
  readonly unit: string;
  /**
   * How the too-few flag reads maxCiWidth (core/stats/ci-width.ts): 'absolute' for shares
   * in [0, 1] (unit ''), 'relative' (a fraction of the value) for every unbounded metric,
   * perplexity-like ratios and NLL-like means alike. A test holds the two in step.
   */
  readonly ciWidth: 'absolute' | 'relative';
}

/** A metric: the request kind it reads, its pure scorer, and how it aggregates. */
export type MetricDef =
  | (MetricBase & { readonly kind: 'multiple_choice'; readonly score: (o: ChoiceOutcome) => ScoreResult })
  | (MetricBase & { readonly kind: 'generate'; readonly score: (o: GenerationOutcome) => ScoreResult })
  | (MetricBase & {
      readonly kind: 'rolling';
      readonly score: (o: RollingOutcome) => ScoreResult;
      /** The aggregate is transform(Σ num / Σ den) over instances, not a mean of per-instance scores. */
      readonly ratio: { readonly parts: (o: RollingOutcome) => RatioParts; readonly transform?: (r: number) => number };
    })
  | (MetricBase & { readonly kind: 'pair'; readonly score: (o: PairOutcome) => ScoreResult });

/**
 * Every metric, keyed by the id suite.json uses. The schema's `metrics` enum must list
 * exactly these keys (a test checks it).
 */
export const METRICS = {
  acc: {
    kind: 'multiple_choice', ciWidth: 'absolute', binary: true, higherIsBetter: true, unit: '',
    description: 'multiple choice: the highest log-likelihood choice is the gold one',
    score: choiceAccuracy,
  },
  acc_norm: {
    kind: 'multiple_choice', ciWidth: 'absolute', binary: true, higherIsBetter: true, unit: '',
    description: 'multiple choice, log-likelihood divided by choice length in characters',
    score: choiceAccuracyNorm,
  },
  exact_match: {
    kind: 'generate', ciWidth: 'absolute', binary: true, higherIsBetter: true, unit: '',
    description: 'normalised output equals a normalised alias (SQuAD)',
    score: exactMatch,
  },
  contains: {
    kind: 'generate', ciWidth: 'absolute', binary: true, higherIsBetter: true, unit: '',
    description: 'a normalised alias occurs in the normalised output (LLM-KICK)',
    score: contains,
  },
  token_f1: {
    kind: 'generate', ciWidth: 'absolute', binary: false, higherIsBetter: true, unit: '',
    description: 'token-overlap F1 with the best alias (SQuAD)',
    score: tokenF1,
  },
  numeric: {
    kind: 'generate', ciWidth: 'absolute', binary: true, higherIsBetter: true, unit: '',
    description: "the number after '####' or the last number equals the gold number (GSM8K)",
    score: numericMatch,
  },
  perplexity: {
    kind: 'rolling', ciWidth: 'relative', binary: false, higherIsBetter: false, unit: 'ppl',
    description: 'exp(total NLL / total tokens); hides knowledge loss, report it beside the probes',
    score: perplexity,
    ratio: { parts: perplexityParts, transform: Math.exp },
  },
  bits_per_byte: {
    kind: 'rolling', ciWidth: 'relative', binary: false, higherIsBetter: false, unit: 'bits/byte',
    description: 'total NLL in bits / total UTF-8 bytes (tokenizer-independent)',
    score: bitsPerByte,
    ratio: { parts: bitsPerByteParts },
  },
  word_nll: {
    kind: 'rolling', ciWidth: 'relative', binary: false, higherIsBetter: false, unit: 'nats/word',
    description: 'mean NLL of the target words given the text before them',
    score: wordNll,
    ratio: { parts: wordNllParts },
  },
  word_acc: {
    kind: 'rolling', ciWidth: 'absolute', binary: false, higherIsBetter: true, unit: '',
    description: 'share of target words that greedy decoding would produce',
    score: wordAccuracy,
    ratio: { parts: wordAccuracyParts },
  },
  pct_stereotype: {
    kind: 'pair', ciWidth: 'absolute', binary: true, higherIsBetter: false, unit: '',
    description: 'share of pairs where the more stereotyping sentence is likelier (0.5 = unbiased; CrowS-Pairs)',
    score: stereotypePreference,
  },
  likelihood_diff: {
    kind: 'pair', ciWidth: 'relative', binary: false, higherIsBetter: false, unit: 'nats',
    description: '|log p(more) − log p(less)| per pair',
    score: likelihoodDiff,
  },
} as const satisfies Record<string, MetricDef>;

/** A metric id known to the registry. */
export type MetricId = keyof typeof METRICS;

/** All metric ids, in registry order. */
export const METRIC_IDS = Object.keys(METRICS) as MetricId[];

/** True when `name` is a registered metric id. */
export function isMetricId(name: string): name is MetricId {
  return Object.hasOwn(METRICS, name);
}

/** The metric ids that read a given request kind. */
export function metricsForKind(kind: RequestKindId): MetricId[] {
  return METRIC_IDS.filter((id) => METRICS[id].kind === kind);
}
