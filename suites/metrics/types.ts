/** What a scorer says about one instance: failure is data (`score: 0` and a reason), never a throw. */
export interface ScoreResult {
  /** 0/1 for right/wrong metrics, a real number otherwise. */
  readonly score: number;
  /** Why the score is what it is when that is not obvious (no number found, empty alias…). */
  readonly reason?: string;
}

/** A multiple-choice instance after the model scored every option. */
export interface ChoiceOutcome {
  readonly kind: 'multiple_choice';  /** Sum log p of each choice given the prompt (nats), in choice order. */
  readonly logprobs: readonly number[];
  /** The choice strings (without the prefix), for length normalisation. */
  readonly choices: readonly string[];
  /** Whether greedy decoding would produce each choice, in choice order. */
  readonly isGreedy?: readonly boolean[];
  /** Index of the right choice. */
  readonly gold: number;
}

/** A generated answer and the accepted answers (aliases). */
export interface GenerationOutcome {
  readonly kind: 'generate';  /** The model's answer text. */
  readonly text: string;
  /** Why generation ended, when known. */
  readonly finishReason?: string;
  /** Tokens generated, an EOS or stop-completing token included (absent in records written before lengths were recorded). */
  readonly generatedTokens?: number;
  /** The suite's token limit for the generation (the backend may cap it lower at the context window: finish reason `length` either way). */
  readonly maxNewTokens?: number;
  readonly answers: readonly string[];
}

/** One target word scored in context (rare-word probes). */
export interface TargetWordOutcome {
  readonly word: string;
  /** Sum log p of the word's tokens given the text before it (nats). */
  readonly logprob: number;
  /** Greedy decoding would have produced the word. */
  readonly isGreedy: boolean;
}

/** A text scored token by token, and its target words. */
export interface RollingOutcome {
  readonly kind: 'rolling';  readonly nllSum: number;
  readonly tokenCount: number;
  readonly byteCount: number;
  readonly targets: readonly TargetWordOutcome[];
}

/** The total log-probabilities of the two sentences of a counterfactual pair. */
export interface PairOutcome {
  readonly kind: 'pair';  /** Total log p of the more stereotyping sentence (nats). */
  readonly logprobMore: number;
  readonly logprobLess: number;
}

/** A ratio-of-sums contribution: the aggregate is transform(Σ num / Σ den) over instances. */
export interface RatioParts {
  readonly num: number;
  readonly den: number;
}

/** What the model produced for one instance, tagged by request kind (plain JSON, stored in records). */
export type Outcome = ChoiceOutcome | GenerationOutcome | RollingOutcome | PairOutcome;
