/**
 * A cell's distribution agreement from its instances' values: mean KL per token and
 * same-top rate as ratios of sums over all tokens, with seeded bootstrap intervals that
 * resample instances (tokens of one text are not independent), and Δp percentiles over
 * all tokens. Any scored instance without a computed value makes the cell `not computed`.
 */
import type { CellAgreement } from '../../core/run-record.js';
import { quantileSorted, summarizeRatio } from '../../core/stats/index.js';
import type { InstanceRecord } from '../../suites/index.js';

/** The cell's agreement with `baseline` from its records (errored instances are left out, as from every metric). */
export function cellAgreement(records: readonly InstanceRecord[], baseline: string, seed: number): CellAgreement {
  const scored = records.filter((r) => r.state === 'scored');
  const notComputed = (reason: string): CellAgreement => ({ state: 'not computed', baseline, reason });
  if (scored.length === 0) return notComputed('no scored instance');
  const values = [];
  for (const r of scored) {
    const a = r.state === 'scored' ? r.agreement : undefined;
    if (a?.state !== 'computed') {
      const missing = scored.filter((x) => x.state === 'scored' && x.agreement?.state !== 'computed').length;
      const why = a?.state === 'not computed' ? a.reason : `no baseline distributions (the baseline ${baseline} has no results for this suite)`;
      return notComputed(`${missing} of ${scored.length} instances have no value; first (${r.instanceId}): ${why}`);
    }
    values.push(a);
  }
  const bounds = [...new Set(values.map((v) => v.bound))];
  const tokens = Float64Array.from(values, (v) => v.tokens);
  const totalTokens = tokens.reduce((a, b) => a + b, 0);
  if (totalTokens === 0) return notComputed('no scored token');
  const ratio = (num: Float64Array): { value: number; low: number; high: number } => {
    const s = summarizeRatio(num, tokens, (x) => x, { seed });
    return { value: s.value!, low: s.low!, high: s.high! };
  };
  const dp = Float64Array.from(values.flatMap((v) => v.dp)).sort();
  return {
    state: 'computed',
    baseline,
    bound: bounds.length === 1 ? bounds[0] : bounds.sort().join(' + '),
    instances: values.length,
    tokens: totalTokens,
    meanKl: ratio(Float64Array.from(values, (v) => v.klSum)),
    sameTopRate: ratio(Float64Array.from(values, (v) => v.sameTop)),
    dp: {
      mean: values.reduce((a, v) => a + v.dpSum, 0) / totalTokens,
      p1: quantileSorted(dp, 0.01),
      p5: quantileSorted(dp, 0.05),
      p50: quantileSorted(dp, 0.5),
      p95: quantileSorted(dp, 0.95),
      p99: quantileSorted(dp, 0.99),
    },
  };
}
