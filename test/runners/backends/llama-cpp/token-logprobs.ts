/** Per-token log-probabilities of fixed token sequences on both backends, for the agreement tests. */
import type { LlamaCppAdapter } from '../../../../runners/backends/llama-cpp/llama-adapter.js';
import { evaluateWithLogits, logProbOf } from '../../../../runners/backends/llama-cpp/next-token-logits.js';
import { logProbAt } from '../../../../runners/backends/onnxruntime/log-probs.js';
import type { OnnxDecoderAdapter } from '../../../../runners/backends/onnxruntime/onnx-adapter.js';

/** log p(ids[j+1] | ids[..j]) for every j, from one onnxruntime forward. */
export async function onnxTokenLogProbs(adapter: OnnxDecoderAdapter, ids: readonly number[]): Promise<number[]> {
  const out = await adapter.session.forward([ids]);
  const argmax = new Int32Array(1);
  return ids.slice(1).map((t, j) => logProbAt(out.logits, out.offset(0, j), out.vocab, t, argmax));
}

/** log p(ids[j+1] | ids[..j]) for every j, from one llama.cpp evaluation on an empty cache. */
export async function llamaTokenLogProbs(adapter: LlamaCppAdapter, ids: readonly number[]): Promise<number[]> {
  await adapter.sequence.clearHistory();
  const maps = await evaluateWithLogits(adapter.sequence, ids.slice(0, -1), 0);
  return maps.map((m, j) => logProbOf(m, ids[j + 1]).logprob);
}

/** max and mean of |a[i] − b[i]| over every token of every sequence. */
export function absDiffStats(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): { max: number; mean: number; n: number } {
  let max = 0;
  let sum = 0;
  let n = 0;
  a.forEach((row, i) => {
    if (row.length !== b[i].length) throw new Error(`sequence ${i}: ${row.length} vs ${b[i].length} tokens`);
    row.forEach((x, j) => {
      const d = Math.abs(x - b[i][j]);
      if (!Number.isFinite(d)) throw new Error(`sequence ${i} token ${j}: non-finite difference (${x} vs ${b[i][j]})`);
      max = Math.max(max, d);
      sum += d;
      n++;
    });
  });
  return { max, mean: sum / n, n };
}

/** `x` in scientific notation with 2 decimals, for the printed figures. */
export function sci(x: number): string {
  return x.toExponential(2);
}
