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

/** log softmax(row)[target] when the row's log Σ exp is known (the graph's `logits_lse`): no pass over the vocabulary. */
export function logProbWithLse(logits: Float32Array, offset: number, target: number, lse: number): number {
  return logits[offset + target] - lse;
}

/**
 * True when `target` is the row's first maximum (what {@link firstMaxAt} returns), given the
 * row's maximum `max` (the graph's `logits_max`): one logit is read, and the entries before the
 * target only when it ties the maximum. A NaN maximum falls back to the full scan.
 */
export function isFirstMax(logits: Float32Array, offset: number, vocab: number, target: number, max: number): boolean {
  if (Number.isNaN(max)) return firstMaxAt(logits, offset, vocab) === target;
  if (logits[offset + target] !== max) return false;
  for (let v = 0; v < target; v++) if (logits[offset + v] === max) return false;
  return true;
}

/** Index of the first maximum of `logits[offset .. offset+vocab)` (NaN never wins; 0 when all are NaN or −Inf). */
export function firstMaxAt(logits: Float32Array, offset: number, vocab: number): number {
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
