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
