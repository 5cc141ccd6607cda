/**
 * Incremental decoding through a (simulated) quantized KV cache: the path every request
 * takes when the adapter has a `kvCache` option. Rows feed one token per forward, in
 * lockstep from an empty cache, and the cache is quantized after every step, so each token
 * reads every earlier token's key and value through the quantized cache. A prefill in one
 * forward would let the prompt's tokens read each other in fp32, which hides damage.
 * Its own key and value a token has in fp32 inside the forward that makes them; llama.cpp
 * (and KIVI's Algorithm 1) write them into the quantized cache before attention. With
 * `selfRead: 'cache'` (the default) a step whose newest key or value was quantized is run
 * a second time as a query over the cache alone (DecoderSession.forward `requeryLast`), so
 * the logits read every key and value, the token's own included, through the cache.
 */
import { chunkByWidth, decodeRows, type RowPlan } from './batching.js';
import type { DecoderSession } from './decoder-session.js';
import { KvQuantizer, type KvCacheInfo } from './kv-quantizer.js';

/** One sequence stepped through the cache. */
export interface StepJob {
  /** Tokens fed one per step; `take` may append (generation). */
  readonly tokens: number[];
  /** Most steps the job can take (its width for batching). */
  readonly maxSteps: number;
  /**
   * Receives the distribution after step t (token t fed): logits[offset .. offset+vocab).
   * Returns false when the job is finished.
   */
  take(t: number, logits: Float32Array, offset: number, vocab: number): boolean;
}

/** Token fed by rows that are finished or fill the batch; their outputs are never read. */
const IDLE_TOKEN = 0;

/**
 * Runs the jobs in chunks of one width (see {@link chunkByWidth}); within a chunk all rows
 * step together until every job is finished, with {@link decodeRows} rows per forward.
 */
export async function runIncremental(session: DecoderSession, jobs: readonly StepJob[], kv: KvCacheInfo, plan: RowPlan): Promise<void> {
  for (const { items: chunk } of chunkByWidth(plan, jobs, (j) => j.maxSteps)) {
    const quantizer = new KvQuantizer(kv);
    const rows = decodeRows(plan, chunk.length);
    const live = chunk.map((j) => j.tokens.length > 0 && j.maxSteps > 0);
    let cache;
    for (let t = 0; live.some(Boolean); t++) {
      const feed = Array.from({ length: rows }, (_, r) => [r < chunk.length && live[r] ? chunk[r].tokens[t] : IDLE_TOKEN]);
      if (cache) quantizer.beforeStep(cache);
      const step = await session.forward(feed, cache, 1);
      cache = step.cache!;
      const selfQuantized = quantizer.afterStep(cache);
      // the token read its own key/value in fp32 within `step`; read them again from the cache
      const out = kv.selfRead === 'cache' && selfQuantized ? await session.forward(feed, cache, 1, { requeryLast: true }) : step;
      chunk.forEach((job, r) => {
        if (!live[r]) return;
        const more = job.take(t, out.logits, out.offset(r, 0), out.vocab);
        live[r] = more && t + 1 < job.tokens.length && t + 1 < job.maxSteps;
      });
    }
  }
}
