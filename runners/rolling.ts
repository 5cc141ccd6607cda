import { chunkByCost, type BatchLimits } from './batching.js';
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
 * windows of all sequences batched together (left-padded, longest first).
 */
export async function scoreRolling(
  session: DecoderSession,
  sequences: readonly (readonly number[])[],
  maxLength: number,
  stride: number,
  limits: BatchLimits,
): Promise<RollingTotals> {
  const jobs: { seq: number; w: RollingWindow }[] = [];
  sequences.forEach((s, seq) => {
    for (const w of planRollingWindows(s.length, maxLength, stride)) jobs.push({ seq, w });
  });
  jobs.sort((a, b) => b.w.end - b.w.start - (a.w.end - a.w.start));
  const nllSum = new Float64Array(sequences.length);
  const tokenCount = new Int32Array(sequences.length);
  const argmax = new Int32Array(1);
  for (const chunk of chunkByCost(jobs, (j) => j.w.end - j.w.start, limits)) {
    const out = await session.forward(chunk.map(({ seq, w }) => sequences[seq].slice(w.start, w.end)));
    chunk.forEach(({ seq, w }, row) => {
      const tokens = sequences[seq];
      const width = w.end - w.start;
      // the logits after input j (0-based in the window) predict tokens[start + j + 1]
      for (let j = width - w.scored; j < width; j++) {
        nllSum[seq] -= logProbAt(out.logits, out.offset(row, j), out.vocab, tokens[w.start + j + 1], argmax);
      }
      tokenCount[seq] += w.scored;
    });
  }
  return { nllSum, tokenCount };
}
