import type { LoglikelihoodResponse, TokenObserver } from '../../../core/requests.js';
import { chunkByWidth, SCORE_ROW_TILE, type RowPlan } from './batching.js';
import type { DecoderSession, ForwardResult, RowNorms } from './decoder-session.js';
import { selectKvRows, type KvScratch } from './kv-cache.js';
import { firstMaxAt, isFirstMax, logProbAt, logProbWithLse } from './log-probs.js';
import type { TokenizedPair } from '../../model/request-tokens.js';

export type { TokenizedPair };

/** Per-request sums, filled in place (typed, no per-token objects). */
export class Totals {
  readonly logprob: Float64Array;
  readonly greedy: Uint8Array;
  private readonly argmax = new Int32Array(1);
  constructor(n: number, private readonly observe?: TokenObserver) {
    this.logprob = new Float64Array(n);
    this.greedy = new Uint8Array(n).fill(1);
  }
  /**
   * Adds log p(target) at `offset` of `logits` to request `req`, and clears its greedy flag unless
   * target is the argmax; `position` is the target's index in the continuation (for the observer);
   * `norm` holds the forward's log Σ exp and maximum per row of `logits` when the graph computes them.
   */
  add(req: number, logits: Float32Array, offset: number, vocab: number, target: number, position: number, norm?: RowNorms): void {
    this.observe?.(req, position, target, logits, offset, vocab);
    if (norm?.lse) {
      const row = offset / vocab;
      this.logprob[req] += logProbWithLse(logits, offset, target, norm.lse[row]);
      const greedy = norm.max ? isFirstMax(logits, offset, vocab, target, norm.max[row]) : firstMaxAt(logits, offset, vocab) === target;
      if (!greedy) this.greedy[req] = 0;
      return;
    }
    this.logprob[req] += logProbAt(logits, offset, vocab, target, this.argmax);
    if (this.argmax[0] !== target) this.greedy[req] = 0;
  }
  /** The responses, in request order. */
  responses(pairs: readonly TokenizedPair[]): LoglikelihoodResponse[] {
    return pairs.map((p, i) => ({ logprob: this.logprob[i], isGreedy: this.greedy[i] === 1, tokenCount: p.continuationIds.length }));
  }
}

/** A context that ends in row `row` of a prefill, at new-token position `last`, and the pairs that continue it. */
export interface ContextEnd {
  readonly row: number;
  readonly last: number;
  readonly members: readonly number[];
}

/**
 * Scores the continuations of the contexts that end in `prefill`: the context's last logits
 * score every continuation's first token; the context's cache row is then tiled to the
 * continuations that have more tokens, which run in forwards of one past width (the
 * prefill's) and one continuation width, so every forward a pair takes part in is fixed by
 * its own lengths. `scratch` holds the tiled pasts (they live for one forward); the
 * continuation passes fetch logits only.
 */
export async function scoreContinuations(session: DecoderSession, plan: RowPlan, pairs: readonly TokenizedPair[], prefill: ForwardResult, ends: readonly ContextEnd[], totals: Totals, scratch?: KvScratch): Promise<void> {
  // rows of the continuation passes: [pair index, context row in `prefill`]
  const tails: [number, number][] = [];
  for (const { row, last, members } of ends) {
    for (const i of members) {
      const cont = pairs[i].continuationIds;
      if (cont.length === 0) continue;
      totals.add(i, prefill.logits, prefill.offset(row, last), prefill.vocab, cont[0], 0, prefill.norm);
      if (cont.length > 1) tails.push([i, row]);
    }
  }
  const pastWidth = prefill.cache!.length;
  for (const { width, items: part } of chunkByWidth(plan, tails, ([i]) => pairs[i].continuationIds.length - 1, () => pastWidth, SCORE_ROW_TILE)) {
    const past = selectKvRows(prefill.cache!, part.map(([, row]) => row), scratch);
    // feed cont[0 .. m-2]; the logits after cont[j] score cont[j+1]
    const inputs = part.map(([i]) => pairs[i].continuationIds.slice(0, -1));
    const step = await session.forward(inputs, past, width, { logitsAt: inputs.map((row) => row.map((_, j) => j)), keepCache: false });
    part.forEach(([i], row) => {
      const cont = pairs[i].continuationIds;
      for (let j = 0; j + 1 < cont.length; j++) totals.add(i, step.logits, step.offset(row, j), step.vocab, cont[j + 1], j + 1, step.norm);
    });
  }
}

/**
 * Scores each pair with a full forward of context + continuation[:-1], in forwards of one
 * width (see {@link RowPlan}). With `maxRows = 1` this is the naive one-forward-per-request
 * path; it is also the path for graphs without a KV cache, and the reference in tests.
 */
export async function scoreFullForward(session: DecoderSession, pairs: readonly TokenizedPair[], plan: RowPlan, observe?: TokenObserver): Promise<LoglikelihoodResponse[]> {
  const totals = new Totals(pairs.length, observe);
  const inputs = pairs.map((p) => [...p.contextIds, ...p.continuationIds.slice(0, -1)]);
  for (const { width, items: chunk } of chunkByWidth(plan, pairs.map((_, i) => i), (i) => inputs[i].length)) {
    const logitsAt = chunk.map((i) => pairs[i].continuationIds.map((_, j) => pairs[i].contextIds.length - 1 + j));
    const out = await session.forward(chunk.map((i) => inputs[i]), undefined, width, { logitsAt });
    chunk.forEach((i, row) => {
      const { contextIds: ctx, continuationIds: cont } = pairs[i];
      for (let j = 0; j < cont.length; j++) totals.add(i, out.logits, out.offset(row, ctx.length - 1 + j), out.vocab, cont[j], j, out.norm);
    });
  }
  return totals.responses(pairs);
}
