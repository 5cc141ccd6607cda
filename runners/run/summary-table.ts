import { comparedToOf } from '../../core/pairing.js';
import type { RunRecord } from '../../core/run-record.js';
import { tooFewReason, type CiWidthRule } from '../../core/stats/ci-width.js';

interface SummaryLike {
  readonly n: number;
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly tooFew?: boolean;
  readonly clustering?: ClusterLike;
}
interface DeltaLike {
  readonly n: number;
  readonly delta: number;
  readonly low: number;
  readonly high: number;
  readonly clustering?: ClusterLike;
}
interface ClusterLike {
  readonly groups: number;
  readonly nEffective: number;
}

/**
 * Plain-text lines summarising a run: for every suite and metric, each variant's value
 * with its 95% interval and n (and groups and effective n when the suite groups
 * near-duplicates), and Δ vs the variant it is compared with (its parent) with its
 * paired interval and minimum detectable effect (docs/power.md).
 */
export function summaryLines(record: RunRecord): string[] {
  const lines: string[] = record.variants.flatMap((v) => (v.calibration?.warning ? [`WARNING ${v.id}: ${v.calibration.warning} (${v.calibration.source})`] : []));
  for (const suite of record.suites) {
    lines.push(`${suite.id} (${suite.kind}, n=${suite.n})`);
    for (const metric of suite.metrics) {
      for (const variant of record.variants) {
        const cell = record.cells.find((c) => c.variantId === variant.id && c.suiteId === suite.id);
        if (!cell) continue;
        if (cell.state === 'errored') {
          lines.push(`  ${metric.padEnd(14)} ${variant.id.padEnd(12)} ERROR ${cell.error}`);
          continue;
        }
        const agg = (cell.aggregate.metrics as Record<string, { overall: SummaryLike; ciWidthRule?: CiWidthRule }> | undefined)?.[metric];
        const cmp = (cell.vsBaseline?.metrics as Record<string, { delta: DeltaLike; power?: { mde: number } }> | undefined)?.[metric];
        const value = agg ? formatSummary(agg.overall, agg.ciWidthRule) : 'n/a';
        const delta = cmp ? `  Δ ${signed(cmp.delta.delta)} [${signed(cmp.delta.low)}, ${signed(cmp.delta.high)}] vs ${comparedToOf(record, variant.id)} paired n=${cmp.delta.n}${groups(cmp.delta.clustering)}${cmp.power ? ` MDE ${num(cmp.power.mde)}` : ''}` : '';
        const failed = cell.instanceErrors ? `  (${cell.instanceErrors.count} of ${cell.instanceErrors.of} instances failed: ${cell.instanceErrors.first})` : '';
        lines.push(`  ${metric.padEnd(14)} ${variant.id.padEnd(12)} ${value}${delta}${failed}`);
      }
    }
  }
  return lines;
}

function formatSummary(s: SummaryLike, rule: CiWidthRule | undefined): string {
  if (s.value === null) return `n/a (n=${s.n})`;
  const ci = s.low === null || s.high === null ? '' : ` [${num(s.low)}, ${num(s.high)}]`;
  const why = rule ? tooFewReason(s, rule) : null;
  return `${num(s.value)}${ci} n=${s.n}${groups(s.clustering)}${s.tooFew ? ` (too few for its CI width${why ? `: ${why}` : ''})` : ''}`;
}

function groups(c: ClusterLike | undefined): string {
  return c ? ` in ${c.groups} groups, effective n ${c.nEffective.toFixed(0)}` : '';
}

function num(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(3);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${num(x)}`;
}
