import { chunkByWidth, type RowPlan } from './batching.js';
import type { DecoderSession } from './decoder-session.js';
import { logProbAt } from './log-probs.js';

/** One window of a rolling evaluation: input tokens `[start, end)` of a sequence, scoring its last `scored` targets. */
export interface RollingWindow {
  /** First input token (index into the sequence). */
  readonly start: number;
  /** One past the last input token; the window's targets are tokens `start+1 .. end`. */
  readonly end: number;
  /** How many of the window's last targets are scored (the others are context only). */
  readonly scored: number;
}

/**
 * Windows over a sequence of `length` tokens whose first token (BOS) is never predicted,
 * so that every other token is predicted exactly once (lm-evaluation-harness'
 * `get_rolling_token_windows`): the first window predicts up to `maxLength` tokens, each
 * later one the next `stride` tokens with as much left context as fits in `maxLength`.
 */
export function planRollingWindows(length: number, maxLength: number, stride: number): RollingWindow[] {
  const windows: RollingWindow[] = [];
  const targets = length - 1;
  let predicted = Math.min(maxLength, targets);
  if (predicted > 0) windows.push({ start: 0, end: predicted, scored: predicted });
  while (predicted < targets) {
    const scored = Math.min(stride, targets - predicted);
    const end = predicted + scored;
    windows.push({ start: Math.max(0, end - maxLength), end, scored });
    predicted = end;
  }
  return windows;
}

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
): Promise<RollingTotals> {
  const jobs: { seq: number; w: RollingWindow }[] = [];
  sequences.forEach((s, seq) => {
    for (const w of planRollingWindows(s.length, maxLength, stride)) jobs.push({ seq, w });
  });
  const nllSum = new Float64Array(sequences.length);
  const tokenCount = new Int32Array(sequences.length);
  const argmax = new Int32Array(1);
  for (const { width, items: chunk } of chunkByWidth(plan, jobs, (j) => j.w.end - j.w.start)) {
    const out = await session.forward(chunk.map(({ seq, w }) => sequences[seq].slice(w.start, w.end)), undefined, width);
    chunk.forEach(({ seq, w }, row) => {
      const tokens = sequences[seq];
      const inputs = w.end - w.start;
      // the logits after input j (0-based in the window) predict tokens[start + j + 1]
      for (let j = inputs - w.scored; j < inputs; j++) {
        nllSum[seq] -= logProbAt(out.logits, out.offset(row, j), out.vocab, tokens[w.start + j + 1], argmax);
      }
      tokenCount[seq] += w.scored;
    });
  }
  return { nllSum, tokenCount };
}
