import { lineChart, summaryErrorBar, type ChartSpec } from '../charts.js';
import { isShare } from '../format.js';
import type { MetricView } from '../record-view.js';
import type { SliceGap } from './fairness-gap.js';

/** What the fairness charts of one suite plot: per variant (in `variants` order) its metric view and best−worst gap. */
export interface FairnessChartInput {
  readonly suiteId: string;
  readonly metric: string;
  readonly unit: string;
  /** The tag naming the groups compared. */
  readonly tag: string;
  readonly sliceNames: readonly string[];
  readonly variants: readonly string[];
  readonly views: readonly (MetricView | undefined)[];
  readonly gaps: readonly (SliceGap | null)[];
}

/**
 * Two charts per fairness suite, variants along x, points with 95% CI bars: the value of
 * each slice (one series per slice, told apart by point style), and the worst slice's
 * value beside the best−worst gap.
 */
export function fairnessCharts(input: FairnessChartInput): ChartSpec[] {
  const { suiteId, metric, unit, tag, sliceNames, variants, views, gaps } = input;
  const scale = isShare(unit) ? 100 : 1;
  const yLabel = `${metric}${isShare(unit) ? ' (%)' : ` (${unit})`}`;
  const breakdowns = views.map((m) => m?.slices.find((s) => s.tag === tag));
  const perSlice = lineChart(
    `chart-fairness-${suiteId}`,
    `${suiteId}: ${metric} per ${tag} (95% CI)`,
    variants,
    sliceNames.map((name) => {
      const slices = breakdowns.map((b) => b?.slices.find((s) => s.slice === name));
      return { label: `${tag}=${name}`, values: slices.map((s) => (s?.value == null ? null : s.value * scale)), ci: slices.map((s) => summaryErrorBar(s, scale)) };
    }),
    yLabel,
    'variant',
    false,
  );
  const worstAndGap = lineChart(
    `chart-fairness-gap-${suiteId}`,
    `${suiteId}: worst ${tag} and best − worst gap (95% CI)`,
    variants,
    [
      {
        label: `worst ${tag}`,
        values: breakdowns.map((b) => (b?.worst?.value == null ? null : b.worst.value * scale)),
        ci: breakdowns.map((b) => summaryErrorBar(b?.worst, scale)),
      },
      {
        label: 'gap best − worst',
        values: breakdowns.map((b, i) => (b?.maxGap == null ? null : (gaps[i]?.gap ?? b.maxGap) * scale)),
        ci: gaps.map((g) => (g ? ([g.low * scale, g.high * scale] as const) : null)),
      },
    ],
    yLabel,
    'variant',
    false,
  );
  return [perSlice, worstAndGap];
}
