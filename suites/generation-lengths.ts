/**
 * Generation length and endings of a generate cell (issue 24): under low-bit quantization
 * some models generate much longer outputs, a cost and a symptom, so every generate
 * instance records its length and finish reason and each cell summarises them.
 */
import type { GenerationLengthRecord } from '../core/run-record.js';
import { quantileSorted } from '../core/stats/index.js';
import type { InstanceRecord } from './score.js';

/** The lengths and endings of a generate cell's records (type 7 percentiles of the recorded lengths). */
export function generationLengths(records: readonly InstanceRecord[]): GenerationLengthRecord {
  const lengths: number[] = [];
  const finishReasons: Record<string, number> = {};
  let errored = 0;
  let unrecorded = 0;
  for (const r of records) {
    if (r.state === 'errored') {
      errored++;
      continue;
    }
    if (r.outcome.kind !== 'generate') continue;
    const tokens = r.outcome.generatedTokens;
    if (tokens === undefined) {
      unrecorded++;
      continue;
    }
    lengths.push(tokens);
    const reason = r.outcome.finishReason ?? 'unknown';
    finishReasons[reason] = (finishReasons[reason] ?? 0) + 1;
  }
  const n = lengths.length;
  const sorted = Float64Array.from(lengths).sort();
  const hitLimit = finishReasons['length'] ?? 0;
  const at = (q: number): number => (n === 0 ? 0 : quantileSorted(sorted, q));
  return {
    n,
    meanTokens: n === 0 ? 0 : lengths.reduce((a, b) => a + b, 0) / n,
    medianTokens: at(0.5),
    p95Tokens: at(0.95),
    maxTokens: n === 0 ? 0 : sorted[n - 1],
    hitLimit,
    hitLimitRate: n === 0 ? 0 : hitLimit / n,
    finishReasons: Object.fromEntries(Object.entries(finishReasons).sort(([a], [b]) => a.localeCompare(b))),
    errored,
    unrecorded,
  };
}
