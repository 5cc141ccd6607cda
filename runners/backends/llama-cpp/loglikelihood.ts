import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import type { LoglikelihoodResponse, TokenObserver } from '../../../core/requests.js';
import { buildPrefixTree, PREFIX_BLOCK } from '../../model/prefix-tree.js';
import type { TokenizedPair } from '../../model/request-tokens.js';
import { evaluateLastTargets, evaluateTargets, type TargetScore } from './next-token-logits.js';

/**
 * Scores pairs on one sequence through the prefix tree of their contexts (runners/model/prefix-tree.ts),
 * walked in tree order: the sequence keeps the part of the previous context that lies on the
 * grid and is shared with the next one, erases the rest, and evaluates the next context's
 * remaining blocks one call each, so a shared header is evaluated once. The last block's
 * last logits score every continuation's first token, then each continuation's remaining
 * inputs are evaluated on top of the context and erased again. The evaluations a pair takes
 * part in (its context's grid blocks, then its continuation) depend only on its own tokens,
 * and erasing back to a grid point leaves the cache cells as a fresh evaluation of the same
 * blocks would, so its score is the same alone or in any batch (bit for bit: a test).
 * `block` Infinity evaluates every context whole from an empty cache.
 */
export async function scoreLoglikelihood(seq: LlamaContextSequence, pairs: readonly TokenizedPair[], observe?: TokenObserver, block: number = PREFIX_BLOCK): Promise<LoglikelihoodResponse[]> {
  const logprob = new Float64Array(pairs.length);
  const greedy = new Uint8Array(pairs.length).fill(1);
  const add = (i: number, r: TargetScore): void => {
    logprob[i] += r.logprob;
    if (!r.isArgmax) greedy[i] = 0;
  };
  let held: readonly number[] = [];
  for (const { ids: ctx, members } of buildPrefixTree(pairs, block).contexts) {
    const lastBlock = Number.isFinite(block) ? Math.floor((ctx.length - 1) / block) * block : 0;
    let common = 0;
    while (common < held.length && common < ctx.length && held[common] === ctx[common]) common++;
    // keep whole grid blocks only, and never the last one: its logits are needed
    const keep = Math.min(Number.isFinite(block) ? Math.floor(common / block) * block : 0, lastBlock);
    if (keep === 0) await seq.clearHistory();
    else if (keep < seq.nextTokenIndex) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
    for (let start = keep; start < lastBlock; start += block) await seq.controlledEvaluate(ctx.slice(start, start + block) as Token[]);
    held = ctx;
    // the context's last position scores every member's first continuation token at once
    const firsts = [...new Set(members.map((i) => pairs[i].continuationIds[0]).filter((t) => t !== undefined))];
    let headRow: Float32Array | undefined;
    const head = await evaluateLastTargets(seq, ctx.slice(lastBlock), firsts, observe && ((_k, row) => void (headRow = row)));
    for (const i of members) {
      const cont = pairs[i].continuationIds;
      if (cont.length === 0) continue;
      if (observe && headRow) observe(i, 0, cont[0], headRow, 0, headRow.length);
      add(i, head.get(cont[0])!);
      if (cont.length === 1) continue;
      // feed cont[0 .. m-2]; the position after cont[j] scores cont[j+1]
      const sink = observe && ((j: number, row: Float32Array): void => observe(i, j + 1, cont[j + 1], row, 0, row.length));
      const tail = await evaluateTargets(seq, cont.slice(0, -1), 0, cont.slice(1), sink);
      tail.forEach((r) => add(i, r));
      await seq.eraseContextTokenRanges([{ start: ctx.length, end: seq.nextTokenIndex }]);
    }
  }
  return pairs.map((p, i) => ({ logprob: logprob[i], isGreedy: greedy[i] === 1, tokenCount: p.continuationIds.length }));
}
