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
  /** Leading continuation tokens every member shares, all but each member's last token: prefilled with the context. */
  shared: number;
}

function groupByContext(pairs: readonly TokenizedPair[]): Group[] {
  const groups = new Map<string, Group>();
  pairs.forEach((p, i) => {
    const key = p.contextIds.join(',');
    const g = groups.get(key);
    if (g) g.members.push(i);
    else groups.set(key, { contextIds: p.contextIds, members: [i], shared: 0 });
  });
  for (const g of groups.values()) g.shared = sharedLead(g.members.map((i) => pairs[i].continuationIds));
  return [...groups.values()].sort((a, b) => b.contextIds.length + b.shared - (a.contextIds.length + a.shared));
}

/** Length of the common prefix of `conts`, at most min(length) − 1 (each keeps its last token to score). */
function sharedLead(conts: readonly (readonly number[])[]): number {
  const limit = Math.min(...conts.map((c) => c.length)) - 1;
  let k = 0;
  while (k < limit && conts.every((c) => c[k] === conts[0][k])) k++;
  return Math.max(0, k);
}

/**
 * Scores with a KV cache: each distinct context is prefilled once (left-padded batches),
 * together with the leading continuation tokens all its requests share (the space or
 * punctuation token that starts every choice, or a whole request when it is alone);
 * the prefill's logits score those shared tokens and every continuation's next token;
 * the cache is then tiled to the continuations, which run together (right-padded) to
 * score the rest. Continuations with one token left after the shared lead cost no
 * second pass.
 */
export async function scoreSharedPrefix(session: DecoderSession, pairs: readonly TokenizedPair[], limits: BatchLimits): Promise<LoglikelihoodResponse[]> {
  const totals = new Totals(pairs.length);
  const prefixOf = (g: Group): readonly number[] => (g.shared === 0 ? g.contextIds : [...g.contextIds, ...pairs[g.members[0]].continuationIds.slice(0, g.shared)]);
  for (const chunk of chunkByCost(groupByContext(pairs), (g) => g.contextIds.length + g.shared, limits)) {
    const prefill = await session.forward(chunk.map(prefixOf));
    // rows of the continuation pass: [pair index, context row in `prefill`, tokens already scored]
    const tails: [number, number, number][] = [];
    chunk.forEach((g, row) => {
      for (const i of g.members) {
        const cont = pairs[i].continuationIds;
        if (cont.length === 0) continue;
        // logits at context end + j score cont[j], for the shared tokens and the one after them
        for (let j = 0; j <= g.shared; j++) totals.add(i, prefill.logits, prefill.offset(row, g.contextIds.length - 1 + j), prefill.vocab, cont[j]);
        if (cont.length > g.shared + 1) tails.push([i, row, g.shared + 1]);
      }
    });
    if (tails.length === 0) continue;
    const rest = ([i, , done]: [number, number, number]): number => pairs[i].continuationIds.length - done;
    tails.sort((a, b) => rest(b) - rest(a));
    const pastLen = prefill.cache!.length;
    for (const part of chunkByCost(tails, (t) => pastLen + rest(t), limits)) {
      const past = selectKvRows(prefill.cache!, part.map(([, row]) => row));
      // feed cont[done-1 .. m-2]; the logits after cont[j] score cont[j+1]
      const step = await session.forward(part.map(([i, , done]) => pairs[i].continuationIds.slice(done - 1, -1)), past);
      part.forEach(([i, , done], row) => {
        const cont = pairs[i].continuationIds;
        for (let j = done - 1; j + 1 < cont.length; j++) totals.add(i, step.logits, step.offset(row, j - done + 1), step.vocab, cont[j + 1]);
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
