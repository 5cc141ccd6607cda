/**
 * Per-token agreement of a variant's next-token distribution with the baseline's at the
 * same position, as llama.cpp's perplexity tool reports it with `--kl-divergence`:
 * KL(P_baseline ‖ Q_variant) in nats, whether both put their maximum on the same token,
 * and Δp = q(reference token) − p(reference token). Pure functions on Float32Array rows;
 * every log-softmax and sum is float64.
 */

/** One position's agreement. NaN everywhere when either row holds a non-finite logit. */
export interface TokenAgreement {
  readonly kl: number;
  readonly sameTop: boolean;
  readonly dp: number;
}

/** The baseline at one position, kept whole (exact KL) or as its top K plus one lumped tail (a lower bound). */
export type BaselineRow =
  | { readonly form: 'logits'; readonly logits: Float32Array; readonly offset: number }
  | {
      readonly form: 'top-k';
      /** Token ids, highest probability first (lowest id first among equals). */
      readonly ids: Int32Array;
      /** log p of `ids`, same order. */
      readonly logProbs: Float32Array;
      readonly offset: number;
      readonly k: number;
      /** log p of the reference token (it may lie outside the top K). */
      readonly targetLogProb: number;
    };

/** log Σ exp(row) and the first maximum's index (lowest id on ties); NaN / −1 when a value is not finite. */
export function logSumExp(logits: Float32Array, offset: number, vocab: number): { lse: number; argmax: number } {
  let max = -Infinity;
  let argmax = -1;
  for (let v = 0; v < vocab; v++) {
    const x = logits[offset + v];
    if (!Number.isFinite(x)) return { lse: NaN, argmax: -1 };
    if (x > max) {
      max = x;
      argmax = v;
    }
  }
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v] - max);
  return { lse: max + Math.log(sum), argmax };
}

const NOT_FINITE: TokenAgreement = { kl: NaN, sameTop: false, dp: NaN };

/**
 * Agreement at one position: `base` (the baseline) against the variant's raw logits
 * `logits[offset .. offset+vocab)`, for reference token `target`. With a top-K baseline the
 * KL is the KL of the two distributions coarsened to K tokens + one tail bucket, which is
 * ≤ the full KL (data-processing inequality).
 */
export function tokenAgreement(base: BaselineRow, logits: Float32Array, offset: number, vocab: number, target: number): TokenAgreement {
  const q = logSumExp(logits, offset, vocab);
  if (q.argmax < 0) return NOT_FINITE;
  const lq = (v: number): number => logits[offset + v] - q.lse;
  if (base.form === 'logits') return exactAgreement(base.logits, base.offset, logits, offset, vocab, target, q.lse, q.argmax);
  let kl = 0;
  let pTop = 0;
  let qTop = 0;
  for (let i = 0; i < base.k; i++) {
    const lp = base.logProbs[base.offset + i];
    const pv = Math.exp(lp);
    const lqv = lq(base.ids[base.offset + i]);
    pTop += pv;
    qTop += Math.exp(lqv);
    if (pv > 0) kl += pv * (lp - lqv);
  }
  const pTail = Math.max(0, 1 - pTop);
  const qTail = Math.max(Number.MIN_VALUE, 1 - qTop);
  if (pTail > 0) kl += pTail * Math.log(pTail / qTail);
  return { kl: Math.max(0, kl), sameTop: base.ids[base.offset] === q.argmax, dp: Math.exp(lq(target)) - Math.exp(base.targetLogProb) };
}

/**
 * Exact agreement from two whole logit rows a (baseline) and b (variant), with b's log Σ exp
 * known: KL = E_p[a − b] − lse(a) + lse(b), one exp per element of a.
 */
function exactAgreement(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, vocab: number, target: number, lseB: number, argmaxB: number): TokenAgreement {
  let max = -Infinity;
  let argmax = -1;
  for (let v = 0; v < vocab; v++) {
    const x = a[aOffset + v];
    if (!Number.isFinite(x)) return NOT_FINITE;
    if (x > max) {
      max = x;
      argmax = v;
    }
  }
  let sum = 0;
  let dot = 0;
  for (let v = 0; v < vocab; v++) {
    const x = a[aOffset + v];
    const e = Math.exp(x - max);
    sum += e;
    dot += e * (x - b[bOffset + v]);
  }
  const lseA = max + Math.log(sum);
  const kl = dot / sum - lseA + lseB;
  const dp = Math.exp(b[bOffset + target] - lseB) - Math.exp(a[aOffset + target] - lseA);
  return { kl: Math.max(0, kl), sameTop: argmax === argmaxB, dp };
}

/**
 * The K most probable tokens of a row (ids, highest first, lowest id among equals) and
 * their float64 log-probabilities, written at `at * k` of `ids` and `logProbs`; returns
 * log p of `target`.
 */
export function reduceTopK(logits: Float32Array, offset: number, vocab: number, k: number, target: number, ids: Int32Array, logProbs: Float32Array, at: number): number {
  const { lse } = logSumExp(logits, offset, vocab);
  const order = Array.from({ length: vocab }, (_, v) => v).sort((a, b) => logits[offset + b] - logits[offset + a] || a - b);
  for (let i = 0; i < k; i++) {
    ids[at * k + i] = order[i];
    logProbs[at * k + i] = logits[offset + order[i]] - lse;
  }
  return logits[offset + target] - lse;
}
