import type { LlamaContextSequence } from 'node-llama-cpp';
import type { LoglikelihoodResponse, TokenObserver } from '../../../core/requests.js';
import type { TokenizedPair } from '../../model/request-tokens.js';
import { evaluateLastTargets, evaluateTargets, type TargetScore } from './next-token-logits.js';

/** Pair indices by identical context ids, in first-seen order. */
function groupByContext(pairs: readonly TokenizedPair[]): number[][] {
  const groups = new Map<string, number[]>();
  pairs.forEach((p, i) => {
    const key = p.contextIds.join(',');
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  return [...groups.values()];
}

/**
 * Scores pairs on one sequence with the shared context evaluated once: each distinct
 * context is evaluated from an empty cache, its last logits score every continuation's
 * first token, then each continuation's remaining inputs are evaluated on top of it and
 * erased again. The evaluations a pair takes part in depend only on its own context and
 * continuation, so its score is the same alone or in any batch (bit for bit: a test).
 */
export async function scoreLoglikelihood(seq: LlamaContextSequence, pairs: readonly TokenizedPair[], observe?: TokenObserver): Promise<LoglikelihoodResponse[]> {
  const logprob = new Float64Array(pairs.length);
  const greedy = new Uint8Array(pairs.length).fill(1);
  const add = (i: number, r: TargetScore): void => {
    logprob[i] += r.logprob;
    if (!r.isArgmax) greedy[i] = 0;
  };
  for (const members of groupByContext(pairs)) {
    const ctx = pairs[members[0]].contextIds;
    await seq.clearHistory();
    // the context's last position scores every member's first continuation token at once
    const firsts = [...new Set(members.map((i) => pairs[i].continuationIds[0]).filter((t) => t !== undefined))];
    let headRow: Float32Array | undefined;
    const head = await evaluateLastTargets(seq, ctx, firsts, observe && ((_k, row) => void (headRow = row)));
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
