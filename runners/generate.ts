import type { FinishReason } from '../core/requests.js';
import { chunkByCost, type BatchLimits } from './batching.js';
import type { DecoderSession, ForwardResult } from './decoder-session.js';
import { selectKvRows, type KvCache } from './kv-cache.js';
import { argmaxAt } from './log-probs.js';
import type { TextTokenizer } from './text-tokenizer.js';

/** A generation job after tokenization and limit checks. */
export interface GenerationJob {
  readonly promptIds: readonly number[];
  /** New tokens allowed (already capped by the context window). */
  readonly maxNewTokens: number;
  readonly stop: readonly string[];
}

/** Result of one job. */
export interface GenerationResult {
  readonly generatedIds: number[];
  readonly text: string;
  readonly finishReason: FinishReason;
}

/** Where the stop string that ends `text` begins, or -1. */
function stopIndex(text: string, stop: readonly string[]): number {
  let at = -1;
  for (const s of stop) {
    const i = s === '' ? -1 : text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

/**
 * Greedy decoding of a batch of jobs (left-padded prompts, longest first). With a KV
 * cache each step feeds one token per row and finished rows are dropped from the cache;
 * without one each step re-runs the whole sequences.
 */
export async function generateGreedy(
  session: DecoderSession,
  tokenizer: TextTokenizer,
  jobs: readonly GenerationJob[],
  eosIds: readonly number[],
  limits: BatchLimits,
): Promise<GenerationResult[]> {
  const results: GenerationResult[] = new Array(jobs.length);
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b].promptIds.length - jobs[a].promptIds.length);
  const eos = new Set(eosIds);
  for (const chunk of chunkByCost(order, (i) => jobs[i].promptIds.length + jobs[i].maxNewTokens, limits)) {
    const generated = chunk.map((): number[] => []);
    const texts = chunk.map(() => '');
    let active = chunk.map((_, k) => k).filter((k) => jobs[chunk[k]].maxNewTokens > 0);
    for (const k of chunk.keys()) if (!active.includes(k)) results[chunk[k]] = { generatedIds: [], text: '', finishReason: 'length' };
    let out: ForwardResult | undefined = active.length > 0 ? await session.forward(active.map((k) => jobs[chunk[k]].promptIds)) : undefined;
    let rowLast = active.map((k) => jobs[chunk[k]].promptIds.length - 1);
    while (out && active.length > 0) {
      const keep: number[] = [];
      active.forEach((k, row) => {
        const job = jobs[chunk[k]];
        const token = argmaxAt(out!.logits, out!.offset(row, rowLast[row]), out!.vocab);
        generated[k].push(token);
        let reason: FinishReason | undefined;
        if (eos.has(token)) reason = 'eos';
        else if (job.stop.length > 0) {
          texts[k] = tokenizer.decodeContinuation(job.promptIds, generated[k]);
          if (stopIndex(texts[k], job.stop) >= 0) reason = 'stop';
        }
        if (!reason && generated[k].length >= job.maxNewTokens) reason = 'length';
        if (reason) {
          const text = job.stop.length > 0 && reason !== 'eos' ? texts[k] : tokenizer.decodeContinuation(job.promptIds, generated[k]);
          const at = stopIndex(text, job.stop);
          results[chunk[k]] = { generatedIds: generated[k], text: at >= 0 ? text.slice(0, at) : text, finishReason: at >= 0 ? 'stop' : reason };
        } else keep.push(row);
      });
      if (keep.length === 0) break;
      const nextActive = keep.map((row) => active[row]);
      if (session.hasKvCache) {
        let cache: KvCache = out.cache!;
        if (keep.length < active.length) cache = selectKvRows(cache, keep);
        out = await session.forward(nextActive.map((k) => [generated[k][generated[k].length - 1]]), cache);
        rowLast = nextActive.map(() => 0);
      } else {
        const seqs = nextActive.map((k) => [...jobs[chunk[k]].promptIds, ...generated[k]]);
        out = await session.forward(seqs);
        rowLast = seqs.map((s) => s.length - 1);
      }
      active = nextActive;
    }
  }
  return results;
}
