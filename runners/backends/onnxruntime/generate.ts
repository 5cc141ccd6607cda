import { chunkByWidth, decodeRows, type RowPlan } from './batching.js';
import type { DecoderSession, ForwardResult } from './decoder-session.js';
import { selectKvRows, type KvCache } from './kv-cache.js';
import { argmaxAt } from './log-probs.js';
import type { TextTokenizer } from '../../model/text-tokenizer.js';
import { finishingRule, type GenerationJob, type GenerationResult } from '../../model/generation.js';

export type { GenerationJob, GenerationResult } from '../../model/generation.js';

/**
 * Prompt widths are multiples of 32: prompts of different lengths then share a prefill and
 * every later decode step. Steps of 8/16/32/64, teacher, 16 prompts of 4–28 words, 64 new
 * tokens: 532/440/401/481 ms (the widest pads every step's attention).
 */
const PROMPT_STEP = 32;

/** Where the next-token distribution of each live row sits: a forward's result and an offset in its logits. */
type Heads = { readonly out: ForwardResult; readonly offset: number }[];

/** Without a cache: re-run whole sequences, in forwards of one width each. */
async function fullForwards(session: DecoderSession, plan: RowPlan, seqs: readonly (readonly number[])[]): Promise<Heads> {
  const heads: { out: ForwardResult; offset: number }[] = new Array(seqs.length);
  for (const { width, items } of chunkByWidth(plan, seqs.map((_, i) => i), (i) => seqs[i].length)) {
    const out = await session.forward(items.map((i) => seqs[i]), undefined, width, { logitsAt: items.map((i) => [seqs[i].length - 1]) });
    items.forEach((i, row) => (heads[i] = { out, offset: out.offset(row, seqs[i].length - 1) }));
  }
  return heads;
}

/**
 * One KV-cached step: each live row feeds its last token. `rows` are the rows of `cache`
 * that are still live; other rows of the cache (finished ones) fill the batch up to
 * {@link decodeRows}, so every step has the same shape whichever rows are live (batch
 * invariance) and the cache is copied only when live rows must move up.
 */
async function decodeStep(session: DecoderSession, plan: RowPlan, cache: KvCache, rows: readonly number[], tokens: readonly number[]): Promise<Heads> {
  const target = decodeRows(plan, rows.length);
  const layout = [...rows];
  const live = new Set(rows);
  for (let r = 0; r < cache.batch && layout.length < target; r++) if (!live.has(r)) layout.push(r);
  while (layout.length < target) layout.push(rows[0]);
  const same = layout.length === cache.batch && layout.every((r, i) => r === i);
  const out = await session.forward(layout.map((_, i) => [tokens[i < tokens.length ? i : 0]]), same ? cache : selectKvRows(cache, layout), 1);
  return tokens.map((_, i) => ({ out, offset: out.offset(i, 0) }));
}

/** {@link finishingRule} with the model's end-of-sequence ids. */
export function jobTaker(
  tokenizer: TextTokenizer,
  jobs: readonly GenerationJob[],
  eosIds: readonly number[],
  results: GenerationResult[],
): (i: number, generated: number[], token: number) => boolean {
  const eos = new Set(eosIds);
  return finishingRule(tokenizer, jobs, (t) => eos.has(t), results);
}

/**
 * Greedy decoding of a batch of jobs. Prompts of one padded width share a prefill; with a
 * KV cache each step feeds one token per row and finished rows are dropped from the
 * cache; without one each step re-runs the whole sequences. Every forward a job takes part
 * in has a shape fixed by its own prompt, so its text is the same in any batch.
 */
export async function generateGreedy(
  session: DecoderSession,
  tokenizer: TextTokenizer,
  jobs: readonly GenerationJob[],
  eosIds: readonly number[],
  plan: RowPlan,
): Promise<GenerationResult[]> {
  const results: GenerationResult[] = new Array(jobs.length);
  const live = jobs.map((_, i) => i).filter((i) => jobs[i].maxNewTokens > 0);
  for (const [i, job] of jobs.entries()) if (job.maxNewTokens === 0) results[i] = { generatedIds: [], text: '', finishReason: 'length' };
  const take = jobTaker(tokenizer, jobs, eosIds, results);
  for (const { width, items: chunk } of chunkByWidth(plan, live, (i) => jobs[i].promptIds.length, (i) => jobs[i].maxNewTokens, PROMPT_STEP)) {
    const generated = chunk.map((): number[] => []);
    const prefill = await session.forward(chunk.map((i) => jobs[i].promptIds), undefined, width, { logitsAt: chunk.map((i) => [jobs[i].promptIds.length - 1]) });
    let heads: Heads = chunk.map((i, row) => ({ out: prefill, offset: prefill.offset(row, jobs[i].promptIds.length - 1) }));
    // active[r]: the chunk index whose distribution is heads[r] (and, with a cache, whose cache row is r)
    let active = chunk.map((_, k) => k);
    while (active.length > 0) {
      const keep: number[] = [];
      active.forEach((k, r) => {
        if (!take(chunk[k], generated[k], argmaxAt(heads[r].out.logits, heads[r].offset, heads[r].out.vocab))) keep.push(r);
      });
      if (keep.length === 0) break;
      active = keep.map((r) => active[r]);
      const lastTokens = active.map((k) => generated[k][generated[k].length - 1]);
      heads = session.hasKvCache
        ? await decodeStep(session, plan, heads[0].out.cache!, keep, lastTokens)
        : await fullForwards(session, plan, active.map((k) => [...jobs[chunk[k]].promptIds, ...generated[k]]));
    }
  }
  return results;
}
