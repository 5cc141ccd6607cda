import type { RunRecord } from '../../core/run-record.js';
import { formatDifference, formatValue } from '../format.js';
import { cellOf, comparisonOf, metricOf, orderedVariants, parentOf, primaryMetric, type DeltaView } from '../record-view.js';
import { betterBy, ciSide } from './scale.js';

/** A loss the data support: a variant × suite whose paired 95% CI lies wholly on the worse side. */
export interface Loss {
  readonly variantId: string;
  readonly parent: string;
  readonly suiteId: string;
  readonly metric: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly delta: DeltaView;
  /** The loss at the CI's bound nearest 0, in colour-scale units (10 points of a share, 10% of the baseline otherwise). */
  readonly severity: number;
}

/**
 * The `k` largest losses of the run on each suite's primary metric, ranked by the loss the
 * CI still supports (its bound nearest 0, on the heatmap's scale), so a wide noisy Δ does not
 * outrank a tight one. Only cells whose CI excludes 0 on the worse side count.
 */
export function largestLosses(record: RunRecord, k = 3): Loss[] {
  const losses: Loss[] = [];
  for (const v of orderedVariants(record)) {
    const parent = parentOf(record, v.id);
    if (parent === undefined) continue;
    for (const suite of record.suites) {
      const metric = primaryMetric(record, suite.id);
      const cell = cellOf(record, v.id, suite.id);
      const agg = metric === undefined ? undefined : metricOf(cell, metric);
      const cmp = metric === undefined ? undefined : comparisonOf(cell, metric);
      if (!agg || !cmp || !Number.isFinite(cmp.delta.delta) || ciSide(cmp.delta, agg.higherIsBetter) !== 'worse') continue;
      const nearest = Math.max(betterBy(cmp.delta.low, cmp.delta, agg.unit, agg.higherIsBetter), betterBy(cmp.delta.high, cmp.delta, agg.unit, agg.higherIsBetter));
      losses.push({ variantId: v.id, parent, suiteId: suite.id, metric: metric!, unit: agg.unit, higherIsBetter: agg.higherIsBetter, delta: cmp.delta, severity: -nearest });
    }
  }
  return losses.sort((a, b) => b.severity - a.severity || a.variantId.localeCompare(b.variantId) || a.suiteId.localeCompare(b.suiteId)).slice(0, k);
}

/**
 * A loss in words (raw text; the renderer escapes it): `teacher/rtn-w2-g32 on
 * knowledge-closed: contains fell 12.3 pp, from 62.0% to 49.7% (95% CI −15.1 pp to
 * −9.4 pp, n=200), vs teacher.`
 */
export function lossSentence(loss: Loss): string {
  const d = loss.delta;
  const verb = d.delta < 0 ? 'fell' : 'rose';
  const size = formatDifference(Math.abs(d.delta), loss.unit).replace(/^\+/u, '');
  const percent = d.baselineMean === 0 ? Number.NaN : (100 * d.delta) / Math.abs(d.baselineMean);
  const relative = loss.unit === '' || !Number.isFinite(percent) ? '' : ` (${percent > 0 ? '+' : '−'}${Math.abs(percent).toFixed(1)}%)`;
  const ci = `95% CI ${formatDifference(d.low, loss.unit)} to ${formatDifference(d.high, loss.unit)}, n=${d.n}`;
  return `${loss.variantId} on ${loss.suiteId}: ${loss.metric} ${verb} ${size}${relative}, from ${formatValue(d.baselineMean, loss.unit)} to ${formatValue(d.variantMean, loss.unit)} (${ci}), vs ${loss.parent}.`;
}
