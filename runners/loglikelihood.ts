import type { LoglikelihoodResponse } from '../core/requests.js';
import { chunkByCost, type BatchLimits } from './batching.js';
import type { DecoderSession } from './decoder-session.js';
import { selectKvRows } from './kv-cache.js';
import { logProbAt } from './log-probs.js';

/** A loglikelihood request after tokenization (context starts with BOS, both already fit the context window). */
export interface TokenizedPair {
  readonly contextIds: readonly number[];
  readonly continuationIds: readonly number[];
}

/** Per-request sums, filled in place (typed, no per-token objects). */
class Totals {
  readonly logprob: Float64Array;
  readonly greedy: Uint8Array;
  private readonly argmax = new Int32Array(1);
  constructor(n: number) {
    this.logprob = new Float64Array(n);
    this.greedy = new Uint8Array(n).fill(1);
  }
  add(req: number, logits: Float32Array, offset: number, vocab: number, target: number): void {
    this.logprob[req] += logProbAt(logits, offset, vocab, target, this.argmax);
    if (this.argmax[0] !== target) this.greedy[req] = 0;
  }
  responses(pairs: readonly TokenizedPair[]): LoglikelihoodResponse[] {
    return pairs.map((p, i) => ({ logprob: this.logprob[i], isGreedy: this.greedy[i] === 1, tokenCount: p.continuationIds.length }));
  }
}

interface Group {
  readonly contextIds: readonly number[];
  readonly members: number[];
}

function groupByContext(pairs: readonly TokenizedPair[]): Group[] {
  const groups = new Map<string, Group>();
  pairs.forEach((p, i) => {
    const key = p.contextIds.join(',');
    const g = groups.get(key);
    if (g) g.members.push(i);
    else groups.set(key, { contextIds: p.contextIds, members: [i] });
  });
  return [...groups.values()].sort((a, b) => b.contextIds.length - a.contextIds.length);
}

/**
 * Scores with a KV cache: each distinct context is prefilled once (left-padded batches);
 * its last logits score every continuation's first token; the context's cache is then
 * tiled to its continuations, which run together (right-padded) to score the rest.
 * Single-token continuations (most multiple-choice letters) cost no second pass at all.
 */
export async function scoreSharedPrefix(session: DecoderSession, pairs: readonly TokenizedPair[], limits: BatchLimits): Promise<LoglikelihoodResponse[]> {
  const totals = new Totals(pairs.length);
  for (const chunk of chunkByCost(groupByContext(pairs), (g) => g.contextIds.length, limits)) {
    const prefill = await session.forward(chunk.map((g) => g.contextIds));
    // rows of the continuation pass: [pair index, context row in `prefill`]
    const tails: [number, number][] = [];
    chunk.forEach((g, row) => {
      const last = prefill.offset(row, g.contextIds.length - 1);
      for (const i of g.members) {
        const cont = pairs[i].continuationIds;
        if (cont.length === 0) continue;
        totals.add(i, prefill.logits, last, prefill.vocab, cont[0]);
        if (cont.length > 1) tails.push([i, row]);
      }
    });
    if (tails.length === 0) continue;
    tails.sort((a, b) => pairs[b[0]].continuationIds.length - pairs[a[0]].continuationIds.length);
    const pastLen = prefill.cache!.length;
    for (const part of chunkByCost(tails, ([i]) => pastLen + pairs[i].continuationIds.length - 1, limits)) {
      const past = selectKvRows(prefill.cache!, part.map(([, row]) => row));
      // feed cont[0 .. m-2]; the logits after cont[j] score cont[j+1]
      const step = await session.forward(part.map(([i]) => pairs[i].continuationIds.slice(0, -1)), past);
      part.forEach(([i], row) => {
        const cont = pairs[i].continuationIds;
        for (let j = 0; j + 1 < cont.length; j++) totals.add(i, step.logits, step.offset(row, j), step.vocab, cont[j + 1]);
      });
    }
  }
  return totals.responses(pairs);
}

/**
 * Scores each pair with a full forward of context + continuation[:-1] (left-padded
 * batches, longest first). With `limits.maxRows = 1` this is the naive one-forward-per-request
 * path; it is also the path for graphs without a KV cache, and the reference in tests.
 */
export async function scoreFullForward(session: DecoderSession, pairs: readonly TokenizedPair[], limits: BatchLimits): Promise<LoglikelihoodResponse[]> {
  const totals = new Totals(pairs.length);
  const order = pairs.map((_, i) => i).sort((a, b) => inputLength(pairs[b]) - inputLength(pairs[a]));
  for (const chunk of chunkByCost(order, (i) => inputLength(pairs[i]), limits)) {
    const out = await session.forward(chunk.map((i) => [...pairs[i].contextIds, ...pairs[i].continuationIds.slice(0, -1)]));
    chunk.forEach((i, row) => {
      const { contextIds: ctx, continuationIds: cont } = pairs[i];
      for (let j = 0; j < cont.length; j++) totals.add(i, out.logits, out.offset(row, ctx.length - 1 + j), out.vocab, cont[j]);
    });
  }
  return totals.responses(pairs);
}

function inputLength(p: TokenizedPair): number {
  return p.contextIds.length + p.continuationIds.length - 1;
}
