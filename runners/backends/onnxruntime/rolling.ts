import type { TokenObserver } from '../../../core/requests.js';
import { chunkByWidth, type RowPlan } from './batching.js';
import type { DecoderSession } from './decoder-session.js';
import { logProbAt, logProbWithLse } from './log-probs.js';
import { planRollingWindows, type RollingWindow } from '../../model/rolling-windows.js';

export { planRollingWindows, type RollingWindow } from '../../model/rolling-windows.js';

/** Per-sequence NLL sums (nats) and scored token counts. */
export interface RollingTotals {
  readonly nllSum: Float64Array;
  readonly tokenCount: Int32Array;
}

/**
 * Scores every token after the first of each sequence over context-sized windows, all
 * windows of all sequences batched together in forwards of one width (see {@link RowPlan}:
 * a window's numbers do not depend on the other windows).
 */
export async function scoreRolling(
  session: DecoderSession,
  sequences: readonly (readonly number[])[],
  maxLength: number,
  stride: number,
  plan: RowPlan,
  observe?: TokenObserver,
): Promise<RollingTotals> {
  const jobs: { seq: number; w: RollingWindow }[] = [];
  sequences.forEach((s, seq) => {
    for (const w of planRollingWindows(s.length, maxLength, stride)) jobs.push({ seq, w });
  });
  const nllSum = new Float64Array(sequences.length);
  const tokenCount = new Int32Array(sequences.length);
  const argmax = new Int32Array(1);
  for (const { width, items: chunk } of chunkByWidth(plan, jobs, (j) => j.w.end - j.w.start)) {
    // only the window's scored tail needs logits
    const logitsAt = chunk.map(({ w }) => Array.from({ length: w.scored }, (_, k) => w.end - w.start - w.scored + k));
    const out = await session.forward(chunk.map(({ seq, w }) => sequences[seq].slice(w.start, w.end)), undefined, width, { logitsAt });
    chunk.forEach(({ seq, w }, row) => {
      const tokens = sequences[seq];
      const inputs = w.end - w.start;
      // the logits after input j (0-based in the window) predict tokens[start + j + 1]
      for (let j = inputs - w.scored; j < inputs; j++) {
        const offset = out.offset(row, j);
        const target = tokens[w.start + j + 1];
        // scored position = the target's index after BOS
        observe?.(seq, w.start + j, target, out.logits, offset, out.vocab);
        // with the graph's normaliser no pass over the vocabulary is needed (the argmax is not used here)
        nllSum[seq] -= out.norm?.lse ? logProbWithLse(out.logits, offset, target, out.norm.lse[offset / out.vocab]) : logProbAt(out.logits, offset, out.vocab, target, argmax);
      }
      tokenCount[seq] += w.scored;
    });
  }
  return { nllSum, tokenCount };
}
