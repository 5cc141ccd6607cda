import type { ControlledEvaluateInputItem, LlamaContextSequence, Token } from 'node-llama-cpp';

/** Raw logits of one position: token id → logit (node-llama-cpp's map, sorted by logit, highest first). */
export type LogitMap = ReadonlyMap<number, number>;


/**
 * Appends `tokens` to the sequence's KV cache in one evaluation and returns the raw logits
 * after each of the inputs at index ≥ `logitsFrom` (the distribution of the token that
 * follows it). Raw logits rather than the sampler's probabilities: the log-softmax is
 * then taken in float64 here, as the ONNX backend does (measured on stories260K, 924
 * tokens, |Δ log p| vs onnxruntime: logits mean 1.14e-6, log of the sampler's float32
 * probabilities mean 1.42e-6, and those underflow to 0 for rare tokens).
 */
export async function evaluateWithLogits(seq: LlamaContextSequence, tokens: readonly number[], logitsFrom: number): Promise<LogitMap[]> {
  const input = tokens.map((id, i): ControlledEvaluateInputItem => {
    const t = id as Token;
    return i >= logitsFrom ? [t, { generateNext: { logits: true } }] : t;
  });
  const out = await seq.controlledEvaluate(input);
  const maps: LogitMap[] = [];
  for (let i = logitsFrom; i < tokens.length; i++) {
    const logits = out[i]?.next.logits;
    if (!logits) throw new Error(`llama.cpp returned no logits for input ${i} of ${tokens.length}`);
    maps.push(logits);
  }
  return maps;
}

/** log p(target) at one position and whether the target is the greedy token. */
export interface TargetScore {
  readonly logprob: number;
  readonly isArgmax: boolean;
}

/**
 * Appends `tokens` in one evaluation and scores, after each input at index ≥ `logitsFrom`,
 * the next target (`targets[i - logitsFrom]`) without moving the whole vocabulary's logits
 * into JavaScript: llama.cpp returns the target's logit, its greedy token's logit and
 * Σ exp(logit − max) (its `totalLogitWeight`, summed in float32), so log p = target − max
 * − ln Σ. About 4× faster than a logit map per position on the bundled teacher (vocab
 * 2048); the float32 sum costs at most 2.7e-5 nats per token (mean 4e-6) against a float64 log-softmax
 * (test/runners/backends/llama-cpp/target-scores.test.ts). The greedy token is llama.cpp's
 * greedy sampler's (the lowest id among equal maxima, as the ONNX backend picks).
 * A non-finite logit gives NaN, which scoring turns into an errored instance.
 */
export async function evaluateTargets(
  seq: LlamaContextSequence,
  tokens: readonly number[],
  logitsFrom: number,
  targets: readonly number[],
  onLogits?: LogitRowSink,
): Promise<TargetScore[]> {
  const input = tokens.map((id, i): ControlledEvaluateInputItem => {
    const t = id as Token;
    if (i < logitsFrom) return t;
    const target = targets[i - logitsFrom] as Token;
    const logits = onLogits ? true : { filter: { tokens: [target], includeSelected: true } };
    return [t, { generateNext: { token: true, options: { temperature: 0 }, logits, totalLogitWeight: true } }];
  });
  const out = await seq.controlledEvaluate(input);
  const scores: TargetScore[] = [];
  for (let i = logitsFrom; i < tokens.length; i++) {
    const next = out[i]?.next;
    if (!next) throw new Error(`llama.cpp returned no result for input ${i} of ${tokens.length}`);
    if (onLogits) onLogits(i - logitsFrom, logitRow(next.logits));
    scores.push(targetScore(next, targets[i - logitsFrom]));
  }
  return scores;
}

/** Receives the whole vocabulary's raw logits after the scored input `index` (0-based from `logitsFrom`). */
export type LogitRowSink = (index: number, row: Float32Array) => void;

/** A logit map as a dense row by token id (the map holds every id 0..size−1 when asked for all logits; a missing one is NaN). */
export function logitRow(logits: ReadonlyMap<number, number> | undefined): Float32Array {
  if (!logits) return new Float32Array(0);
  const row = new Float32Array(logits.size).fill(NaN);
  for (const [id, x] of logits) if (id < row.length) row[id] = x;
  return row;
}

/**
 * Appends `tokens` and scores several candidate next tokens after the last one (a shared
 * context's continuations), as {@link evaluateTargets} does for one.
 */
export async function evaluateLastTargets(
  seq: LlamaContextSequence,
  tokens: readonly number[],
  candidates: readonly number[],
  onLogits?: LogitRowSink,
): Promise<Map<number, TargetScore>> {
  const last = tokens.length - 1;
  const logits = onLogits ? true : { filter: { tokens: candidates as readonly Token[], includeSelected: true } };
  const input = tokens.map((id, i): ControlledEvaluateInputItem =>
    i < last ? (id as Token) : [id as Token, { generateNext: { token: true, options: { temperature: 0 }, logits, totalLogitWeight: true } }],
  );
  const out = await seq.controlledEvaluate(input);
  const next = out[last]?.next;
  if (!next) throw new Error(`llama.cpp returned no result for input ${last} of ${tokens.length}`);
  if (onLogits) onLogits(0, logitRow(next.logits));
  const scores = new Map<number, TargetScore>();
  for (const c of candidates) scores.set(c, targetScore(next, c));
  return scores;
}

/** One position's result as a {@link TargetScore} for `target` (NaN when anything is missing or not finite). */
function targetScore(next: { token?: Token | null; logits?: ReadonlyMap<Token, number>; totalLogitWeight?: number }, target: number): TargetScore {
  const selected = next.token;
  const top = selected === undefined || selected === null ? undefined : next.logits?.get(selected);
  const t = next.logits?.get(target as Token);
  const weight = next.totalLogitWeight;
  if (top === undefined || t === undefined || weight === undefined || !Number.isFinite(top) || !Number.isFinite(t) || !(weight > 0) || !Number.isFinite(weight)) {
    return { logprob: NaN, isArgmax: false };
  }
  return { logprob: t - top - Math.log(weight), isArgmax: selected === target };
}

/**
 * log softmax(logits)[target] in float64, and the argmax (lowest id among equal maxima,
 * as torch.argmax and the ONNX backend pick). NaN when any logit is not finite.
 */
export function logProbOf(logits: LogitMap, target: number): { logprob: number; argmax: number } {
  const argmax = greedyToken(logits);
  if (argmax < 0) return { logprob: NaN, argmax };
  const max = logits.get(argmax)!;
  let sum = 0;
  for (const x of logits.values()) sum += Math.exp(x - max);
  const t = logits.get(target);
  return { logprob: t === undefined ? -Infinity : t - max - Math.log(sum), argmax };
}

/** The greedy token (lowest id among equal maxima), or −1 when any logit is NaN or ±Inf. */
export function greedyToken(logits: LogitMap): number {
  let max = -Infinity;
  let arg = -1;
  for (const [id, x] of logits) {
    if (!Number.isFinite(x)) return -1;
    if (x > max || (x === max && id < arg)) {
      max = x;
      arg = id;
    }
  }
  return arg;
}

/**
 * Appends `tokens` and returns llama.cpp's own greedy choice (temperature 0) after the last
 * one, or −1 when it gives none. For timing only: no logits cross into JavaScript, so a
 * decode step costs what llama.cpp costs (a logit map of the whole vocabulary is sorted per
 * position otherwise). Scoring and `generate` use the logits (exact float64, NaN checks).
 */
export async function evaluateGreedy(seq: LlamaContextSequence, tokens: readonly number[]): Promise<number> {
  const input = tokens.map((id, i): ControlledEvaluateInputItem => {
    const t = id as Token;
    return i === tokens.length - 1 ? [t, { generateNext: { token: true, options: { temperature: 0 } } }] : t;
  });
  const out = await seq.controlledEvaluate(input);
  return out[tokens.length - 1]?.next.token ?? -1;
}
