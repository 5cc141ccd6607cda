/**
 * log softmax(logits[offset .. offset+vocab))[target], computed only for the rows that are
 * scored. Writes the row's argmax (first maximum, as torch.argmax) to `argmaxOut[0]`.
 */
export function logProbAt(logits: Float32Array, offset: number, vocab: number, target: number, argmaxOut: Int32Array): number {
  const arg = firstMaxAt(logits, offset, vocab);
  const max = logits[offset + arg];
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v] - max);
  argmaxOut[0] = arg;
  return logits[offset + target] - max - Math.log(sum);
}

/**
 * Index of the largest logit in `logits[offset .. offset+vocab)` (first one on ties), or
 * −1 when any logit is NaN or ±Inf: a broken model must not decode token 0 as if it chose it.
 */
export function argmaxAt(logits: Float32Array, offset: number, vocab: number): number {
  let max = -Infinity;
  let arg = 0;
  for (let v = 0; v < vocab; v++) {
    const x = logits[offset + v];
    if (!Number.isFinite(x)) return -1;
    if (x > max) {
      max = x;
      arg = v;
    }
  }
  return arg;
}

/**
 * {@link logProbAt} when the row's log Σ exp is known (the graph's `logits_lse`): one pass for
 * the argmax (first maximum) instead of a max pass and an exp pass.
 */
export function logProbWithLse(logits: Float32Array, offset: number, vocab: number, target: number, lse: number, argmaxOut: Int32Array): number {
  argmaxOut[0] = firstMaxAt(logits, offset, vocab);
  return logits[offset + target] - lse;
}

/** Index of the first maximum of `logits[offset .. offset+vocab)` (NaN never wins; 0 when all are NaN or −Inf). */
function firstMaxAt(logits: Float32Array, offset: number, vocab: number): number {
  let max = -Infinity;
  let arg = 0;
  for (let v = 0; v < vocab; v++) {
    const x = logits[offset + v];
    if (x > max) {
      max = x;
      arg = v;
    }
  }
  return arg;
}
