import type { RunRecord } from '../../core/run-record.js';
import { summaryHeatmap, type SummaryHeatmap } from './heatmap.js';
import { largestLosses, lossSentence } from './losses.js';
import { passingVariants, type PassingVariant } from './passing.js';
import { summaryVerdict, type SummaryVerdict } from './verdict.js';

export { abbreviateSuites, summaryHeatmap, type SummaryCell, type SummaryFamily, type SummaryHeatmap, type SummaryRow, type SummarySuite } from './heatmap.js';
export { savedPercent, savesOf, type SavesFigure, type SavesFigures } from './saves.js';
export { largestLosses, lossSentence, type Loss } from './losses.js';
export { passingSize, passingVariants, type PassingVariant } from './passing.js';
export { summaryVerdict, type SummaryVerdict } from './verdict.js';

/** Everything the report's first screen shows (issue 17), as raw text: the HTML renderer escapes it. */
export interface RunSummary {
  readonly verdict: SummaryVerdict;
  readonly heatmap: SummaryHeatmap;
  readonly passing: readonly PassingVariant[];
  /** The three largest losses the CIs support, in words. */
  readonly losses: readonly string[];
}

/** The summary of a run record. */
export function runSummary(record: RunRecord): RunSummary {
  return { verdict: summaryVerdict(record), heatmap: summaryHeatmap(record), passing: passingVariants(record), losses: largestLosses(record, 3).map(lossSentence) };
}
