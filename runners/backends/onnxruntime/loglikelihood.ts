import type { LoglikelihoodResponse, TokenObserver } from '../../../core/requests.js';
import { chunkByWidth, type RowPlan } from './batching.js';
import type { DecoderSession } from './decoder-session.js';
import { selectKvRows } from './kv-cache.js';
import { logProbAt } from './log-probs.js';
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
   * target is the argmax; `position` is the target's index in the continuation (for the observer).
   */
  add(req: number, logits: Float32Array, offset: number, vocab: number, target: number, position: number): void {
    this.observe?.(req, position, target, logits, offset, vocab);
    this.logprob[req] += logProbAt(logits, offset, vocab, target, this.argmax);
    if (this.argmax[0] !== target) this.greedy[req] = 0;
  }
  /** The responses, in request order. */
  responses(pairs: readonly TokenizedPair[]): LoglikelihoodResponse[] {
    return pairs.map((p, i) => ({ logprob: this.logprob[i], isGreedy: this.greedy[i] === 1, tokenCount: p.continuationIds.length }));
  }
}

/** A distinct context and the pairs that continue it. */
interface Group {
  readonly contextIds: readonly number[];
  readonly members: number[];
}

/** Pairs by context; a pair's numbers never depend on which other pairs share its context. */
function groupByContext(pairs: readonly TokenizedPair[]): Group[] {
  const groups = new Map<string, Group>();
  pairs.forEach((p, i) => {
    const key = p.contextIds.join(',');
    const g = groups.get(key);
    if (g) g.members.push(i);
    else groups.set(key, { contextIds: p.contextIds, members: [i] });
  });
  return [...groups.values()];
}

/**
 * Scores with a KV cache, batch-invariantly (see {@link RowPlan}): each distinct context is
 * prefilled once, its last logits score every continuation's first token; the context's
 * cache row is then tiled to the continuations that have more tokens, which run in
 * forwards of one past width and one continuation width. Every forward a pair takes part
 * in is fixed by its own context and continuation lengths, so its score is the same in any
 * batch, shard or order.
 */
export async function scoreSharedPrefix(session: DecoderSession, pairs: readonly TokenizedPair[], plan: RowPlan, observe?: TokenObserver): Promise<LoglikelihoodResponse[]> {
  const totals = new Totals(pairs.length, observe);
  for (const { width: pastWidth, items: chunk } of chunkByWidth(plan, groupByContext(pairs), (g) => g.contextIds.length)) {
    const prefill = await session.forward(chunk.map((g) => g.contextIds), undefined, pastWidth, { logitsAt: chunk.map((g) => [g.contextIds.length - 1]) });
    // rows of the continuation passes: [pair index, context row in `prefill`]
    const tails: [number, number][] = [];
    chunk.forEach((g, row) => {
      for (const i of g.members) {
        const cont = pairs[i].continuationIds;
        if (cont.length === 0) continue;
        totals.add(i, prefill.logits, prefill.offset(row, g.contextIds.length - 1), prefill.vocab, cont[0], 0);
        if (cont.length > 1) tails.push([i, row]);
      }
    });
    for (const { width, items: part } of chunkByWidth(plan, tails, ([i]) => pairs[i].continuationIds.length - 1, () => pastWidth)) {
      const past = selectKvRows(prefill.cache!, part.map(([, row]) => row));
      // feed cont[0 .. m-2]; the logits after cont[j] score cont[j+1]
      const inputs = part.map(([i]) => pairs[i].continuationIds.slice(0, -1));
      const step = await session.forward(inputs, past, width, { logitsAt: inputs.map((row) => row.map((_, j) => j)) });
      part.forEach(([i], row) => {
        const cont = pairs[i].continuationIds;
        for (let j = 0; j + 1 < cont.length; j++) totals.add(i, step.logits, step.offset(row, j), step.vocab, cont[j + 1], j + 1);
      });
    }
  }
  return totals.responses(pairs);
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
      for (let j = 0; j < cont.length; j++) totals.add(i, out.logits, out.offset(row, ctx.length - 1 + j), out.vocab, cont[j], j);
    });
  }
  return totals.responses(pairs);
}
