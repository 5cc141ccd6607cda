/**
 * The three request kinds answered by incremental decoding through a quantized KV cache
 * (incremental.ts): each request becomes one stepped sequence; loglikelihood does not
 * share contexts (a tiled prefix would have to be re-quantized row by row for no gain in
 * fidelity), rolling steps through each window from its first token.
 */
import type { LoglikelihoodResponse, TokenObserver } from '../../../core/requests.js';
import type { TextTokenizer } from '../../model/text-tokenizer.js';
import type { RowPlan } from './batching.js';
import type { DecoderSession } from './decoder-session.js';
import { jobTaker, type GenerationJob, type GenerationResult } from './generate.js';
import { runIncremental, type StepJob } from './incremental.js';
import type { KvCacheInfo } from './kv-quantizer.js';
import { argmaxAt, logProbAt } from './log-probs.js';
import { Totals, type TokenizedPair } from './loglikelihood.js';
import { planRollingWindows, type RollingTotals } from './rolling.js';

/** Loglikelihood of each pair: context + continuation[:-1] stepped, the continuation's tokens scored. */
export async function scoreIncremental(session: DecoderSession, pairs: readonly TokenizedPair[], kv: KvCacheInfo, plan: RowPlan, observe?: TokenObserver): Promise<LoglikelihoodResponse[]> {
  const totals = new Totals(pairs.length, observe);
  const jobs: StepJob[] = [];
  pairs.forEach(({ contextIds: ctx, continuationIds: cont }, i) => {
    if (cont.length === 0) return;
    const tokens = [...ctx, ...cont.slice(0, -1)];
    jobs.push({
      tokens,
      maxSteps: tokens.length,
      take(t, logits, offset, vocab) {
        // the logits after input t predict input t+1; continuation token j sits at ctx.length + j
        const j = t + 1 - ctx.length;
        if (j >= 0) totals.add(i, logits, offset, vocab, cont[j], j);
        return true;
      },
    });
  });
  await runIncremental(session, jobs, kv, plan);
  return totals.responses(pairs);
}

/** Rolling NLL: each window of {@link planRollingWindows} stepped from its first token. */
export async function rollingIncremental(
  session: DecoderSession,
  sequences: readonly (readonly number[])[],
  maxLength: number,
  stride: number,
  kv: KvCacheInfo,
  plan: RowPlan,
  observe?: TokenObserver,
): Promise<RollingTotals> {
  const nllSum = new Float64Array(sequences.length);
  const tokenCount = new Int32Array(sequences.length);
  const argmax = new Int32Array(1);
  const jobs: StepJob[] = [];
  sequences.forEach((seq, s) => {
    for (const w of planRollingWindows(seq.length, maxLength, stride)) {
      const inputs = w.end - w.start;
      tokenCount[s] += w.scored;
      jobs.push({
        tokens: seq.slice(w.start, w.end),
        maxSteps: inputs,
        take(t, logits, offset, vocab) {
          if (t < inputs - w.scored) return true;
          observe?.(s, w.start + t, seq[w.start + t + 1], logits, offset, vocab);
          nllSum[s] -= logProbAt(logits, offset, vocab, seq[w.start + t + 1], argmax);
          return true;
        },
      });
    }
  });
  await runIncremental(session, jobs, kv, plan);
  return { nllSum, tokenCount };
}

/** Greedy generation: the prompt stepped token by token, then each new token fed back. */
export async function generateIncremental(
  session: DecoderSession,
  tokenizer: TextTokenizer,
  genJobs: readonly GenerationJob[],
  eosIds: readonly number[],
  kv: KvCacheInfo,
  plan: RowPlan,
): Promise<GenerationResult[]> {
  const results: GenerationResult[] = new Array(genJobs.length);
  const takeToken = jobTaker(tokenizer, genJobs, eosIds, results);
  const jobs: StepJob[] = [];
  genJobs.forEach((job, i) => {
    if (job.maxNewTokens === 0) {
      results[i] = { generatedIds: [], text: '', finishReason: 'length' };
      return;
    }
    const tokens = [...job.promptIds];
    const generated: number[] = [];
    const last = job.promptIds.length - 1;
    jobs.push({
      tokens,
      // the last new token is never fed back
      maxSteps: job.promptIds.length + job.maxNewTokens - 1,
      take(t, logits, offset, vocab) {
        if (t < last) return true;
        if (takeToken(i, generated, argmaxAt(logits, offset, vocab))) return false;
        tokens.push(generated[generated.length - 1]);
        return true;
      },
    });
  });
  await runIncremental(session, jobs, kv, plan);
  return results;
}
