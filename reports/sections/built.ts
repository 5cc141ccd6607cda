import type { RunRecord } from '../../core/run-record.js';
import type { ChartSpec } from '../charts.js';
import type { Section } from '../document.js';
import type { InstanceLine } from '../load-run.js';

/** What every section builder reads. */
export interface ReportInput {
  readonly record: RunRecord;
  readonly instances: readonly InstanceLine[];
}

/** A built section and the charts its blocks reference. */
export interface BuiltSection {
  readonly section: Section;
  readonly charts: readonly ChartSpec[];
}
