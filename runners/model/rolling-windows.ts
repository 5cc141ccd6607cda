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
