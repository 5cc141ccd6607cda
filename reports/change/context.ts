import type { RunRecord, VariantRecord } from '../../core/run-record.js';
import type { InstanceLine } from '../load-run.js';
import type { HistoryResult } from '../sections/history.js';
import type { ChangeLogEntry } from './change-log.js';
import type { RecordGate } from './gate-verdict.js';
import type { Screening } from './screening.js';

/** Everything a change record is generated from (DESIGN.md §9): the run record and derived facts. */
export interface ChangeContext {
  readonly record: RunRecord;
  readonly instances: readonly InstanceLine[];
  readonly variant: VariantRecord;
  /** The variant this one is compared with, its parent (absent only in a damaged record). */
  readonly baseline: VariantRecord | undefined;
  /** The gate verdict screening used (recorded in run.json, or the default policy applied now). */
  readonly gate: RecordGate;
  readonly screening: Screening;
  /** sha256 of run.json as read. */
  readonly runJsonSha256: string;
  /** The model's change log after this run's entry was appended. */
  readonly log: readonly ChangeLogEntry[];
  readonly logFile: string;
  /** The history store's recent runs, when one was given or found beside the run. */
  readonly history?: HistoryResult;
  /** Date the record was generated (ISO 8601). */
  readonly generatedAt: string;
}
