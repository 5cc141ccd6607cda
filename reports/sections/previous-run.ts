import type { RunRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block } from '../document.js';
import { formatDifference, formatSummary } from '../format.js';
import { cellOf, metricOf, orderedVariants, primaryMetric } from '../record-view.js';
import type { BuiltSection } from './built.js';

/**
 * This run beside an earlier one (`--baseline-run`): the primary metric of every cell
 * present in both. Differences are unpaired (different runs); the paired view is
 * `compbench compare`.
 */
export function previousRunSection(record: RunRecord, previous: RunRecord, previousDir: string): BuiltSection {
  const blocks: Block[] = [
    para(`Earlier run: ${previous.runId} (${previous.createdAt}, git ${previous.harness.gitSha ?? 'unknown'}) from ${previousDir}; gate ${previous.gate?.verdict ?? 'not applied'}.`),
  ];
  const rows = [];
  for (const v of orderedVariants(record)) {
    for (const suite of record.suites) {
      const metric = primaryMetric(record, suite.id);
      if (!metric) continue;
      const now = metricOf(cellOf(record, v.id, suite.id), metric);
      const before = metricOf(cellOf(previous, v.id, suite.id), metric);
      if (!now || !before) continue;
      const diff = now.overall.value !== null && before.overall.value !== null ? now.overall.value - before.overall.value : null;
      rows.push([v.id, suite.id, metric, formatSummary(before.overall, now.unit), formatSummary(now.overall, now.unit), numCell(diff === null ? 'n/a' : formatDifference(diff, now.unit), diff)]);
    }
  }
  blocks.push(rows.length > 0
    ? table({ id: 'previous-run-table', columns: ['variant', 'suite', 'metric', 'earlier run', 'this run', 'difference (unpaired)'], rows })
    : para('No variant × suite cell is in both runs.', 'warn'));
  return { section: { id: 'previous-run', title: 'Since the earlier run', blocks }, charts: [] };
}
