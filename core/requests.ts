/**
 * The request vocabulary shared by suites and runners (DESIGN.md §2), like
 * lm-evaluation-harness: suites emit plain-JSON requests, a {@link ModelAdapter}
 * answers them with plain-JSON responses. Multiple choice is scored through
 * `loglikelihood`; perplexity and bits per byte through `rolling`.
 */

/** Score `continuation` given `context`: sum of log p(continuation tokens | context). */
export interface LoglikelihoodRequest {
  /** Text before the scored part (may be empty: the model's BOS is the context then). */
  readonly context: string;
  /** Text whose tokens are scored. Leading whitespace moved from the context belongs here. */
  readonly continuation: string;
  /**
   * The requests of one group (a suite instance's choices: suites/execute.ts sets it) that
   * share a context may be scored together in one packed row. A request's score may then
   * depend, in the last float bits, on which requests of its own group are in the call, never
   * on any other request. Absent: the score depends on the request alone.
   */
  readonly group?: string;
}

/** Answer to a {@link LoglikelihoodRequest}. */
export interface LoglikelihoodResponse {
  /** Sum over continuation tokens of log p(token | everything before it), in nats (≤ 0). */
  readonly logprob: number;
  /** True when every continuation token is the argmax of its distribution (greedy decoding would produce it). */
  readonly isGreedy: boolean;
  /** Number of continuation tokens scored. */
  readonly tokenCount: number;
}

/** Score every token of `text` (after the model's BOS), over context-sized windows when it is long. */
export interface RollingRequest {
  /** The whole text; every one of its tokens is predicted exactly once. */
  readonly text: string;
}

/** Answer to a {@link RollingRequest}: enough for perplexity (exp(nll/tokens)) and bits per byte. */
export interface RollingResponse {
  /** Sum of token negative log-likelihoods, in nats (≥ 0). */
  readonly nllSum: number;
  /** Number of tokens predicted (BOS excluded). */
  readonly tokenCount: number;
  /** UTF-8 byte length of the text, for bits per byte = nllSum / ln 2 / byteCount. */
  readonly byteCount: number;
}

/** Options of a {@link GenerateRequest}. */
export interface GenerateOptions {
  /** Upper bound on generated tokens (≥ 0). */
  readonly maxNewTokens: number;
  /** Generation stops when the text contains one of these; the text is cut before it. */
  readonly stop?: readonly string[];
}

/** Greedy continuation of `prompt` (an empty prompt starts from BOS alone). */
export interface GenerateRequest {
  /** Text to continue. */
  readonly prompt: string;
  /** Length limit and stop strings. */
  readonly options: GenerateOptions;
}

/** Why a generation ended. */
export type FinishReason = 'stop' | 'eos' | 'length' | 'non-finite';

/** Answer to a {@link GenerateRequest}. */
export interface GenerateResponse {
  /** Generated text (special tokens skipped), cut before the first stop string. */
  readonly text: string;
  /** Token ids of the prompt as fed to the model (BOS included when the tokenizer adds one). */
  readonly promptIds: readonly number[];
  /** Token ids generated, including an EOS token or the token that completed a stop string. */
  readonly generatedIds: readonly number[];
  /**
   * `stop`: a stop string appeared; `eos`: an end-of-sequence token; `length`: maxNewTokens or the context limit;
   * `non-finite`: the model's logits held NaN or ±Inf, so no token could be chosen (the instance is errored, never scored).
   */
  readonly finishReason: FinishReason;
}

/**
 * Receives the raw next-token logits (`logits[offset .. offset+vocab)`, float32, as the model
 * produced them) at one scored position of a loglikelihood or rolling request: `request` is
 * the request's index in the batch call, `position` the scored token's index among the
 * request's scored tokens (0-based: a continuation's tokens, or a text's tokens after BOS),
 * `target` that token's id. The same forwards that produce the scores call it, so it sees
 * exactly the distributions behind them (core/token-agreement.ts). A position may be
 * observed again when a failed batch is retried request by request: observers overwrite.
 */
export type TokenObserver = (request: number, position: number, target: number, logits: Float32Array, offset: number, vocab: number) => void;

/**
 * A model as the harness sees it: three batch methods and nothing else
 * (lm-evaluation-harness' `LM`). Responses come back in request order.
 */
export interface ModelAdapter {
  /** A short name for records and messages (e.g. the model folder's name). */
  readonly name: string;
  /** Scores each continuation given its context. */
  loglikelihood(requests: readonly LoglikelihoodRequest[], observe?: TokenObserver): Promise<LoglikelihoodResponse[]>;
  /** Scores every token of each text (perplexity, bits per byte). */
  rolling(requests: readonly RollingRequest[], observe?: TokenObserver): Promise<RollingResponse[]>;
  /** Greedy generation with stop strings. */
  generate(requests: readonly GenerateRequest[]): Promise<GenerateResponse[]>;
  /** Frees native resources (sessions) when the adapter holds any; not a request method. Idempotent. */
  dispose?(): Promise<void>;
}
