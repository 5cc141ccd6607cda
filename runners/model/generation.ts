/**
 * Greedy generation as every backend ends it: the job after tokenization, its result, and
 * the rule that takes a job's next token and decides whether it is finished (an
 * end-of-generation token, a stop string — the text cut before it —, its token limit, or a
 * non-finite distribution, token −1). Backends only choose the tokens.
 */
import type { FinishReason } from '../../core/requests.js';

/** A generation job after tokenization and limit checks. */
export interface GenerationJob {
  readonly promptIds: readonly number[];
  /** New tokens allowed (already capped by the context window). */
  readonly maxNewTokens: number;
  readonly stop: readonly string[];
}

/** Result of one job. */
export interface GenerationResult {
  readonly generatedIds: number[];
  readonly text: string;
  readonly finishReason: FinishReason;
}

/** What the finishing rule needs of a tokenizer. */
export interface ContinuationDecoder {
  /** The text of `generatedIds` as it continues `promptIds`. */
  decodeContinuation(promptIds: readonly number[], generatedIds: readonly number[]): string;
}

/** Where the earliest stop string begins in `text`, or -1 (empty stop strings never match). */
export function stopIndex(text: string, stop: readonly string[]): number {
  let at = -1;
  for (const s of stop) {
    const i = s === '' ? -1 : text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

/**
 * The function that takes job i's next token into `generated` and, when the job is
 * finished, writes its result into `results` and returns true.
 */
export function finishingRule(
  tokenizer: ContinuationDecoder,
  jobs: readonly GenerationJob[],
  isEnd: (token: number) => boolean,
  results: GenerationResult[],
): (i: number, generated: number[], token: number) => boolean {
  return (i, generated, token) => {
    const job = jobs[i];
    if (token < 0) {
      results[i] = { generatedIds: generated, text: '', finishReason: 'non-finite' };
      return true;
    }
    generated.push(token);
    let reason: FinishReason | undefined;
    let text: string | undefined;
    if (isEnd(token)) reason = 'eos';
    else if (job.stop.length > 0) {
      text = tokenizer.decodeContinuation(job.promptIds, generated);
      if (stopIndex(text, job.stop) >= 0) reason = 'stop';
    }
    if (!reason && generated.length >= job.maxNewTokens) reason = 'length';
    if (!reason) return false;
    text ??= tokenizer.decodeContinuation(job.promptIds, generated);
    const at = stopIndex(text, job.stop);
    results[i] = { generatedIds: generated, text: at >= 0 ? text.slice(0, at) : text, finishReason: at >= 0 ? 'stop' : reason };
    return true;
  };
}
