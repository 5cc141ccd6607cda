/**
 * What both decode children (onnxruntime: decode-child.ts, llama.cpp: llama-decode-child.ts)
 * print, and the prompt they share.
 */

/** One child's figures. */
export interface DecodeChildResult {
  readonly loadMs: number;
  readonly promptTokens: number;
  readonly prefillMs: number;
  readonly steps: number;
  readonly medianMs: number;
  readonly bestMs: number;
  readonly peakRssBytes: number | null;
  /** The greedy tokens, warm-up step first (same weights and prompt: same tokens across runs). */
  readonly generatedIds: readonly number[];
}

/** Fewest timed steps of a format, whatever the budget. */
export const MIN_STEPS = 3;

/** BOS, then fixed ids inside the 2048-token tokenizer's range (the synthetic model's). */
export function decodePrompt(promptTokens: number): number[] {
  return Array.from({ length: promptTokens }, (_, i) => (i === 0 ? 1 : 3 + ((i * 977) % 2000)));
}
