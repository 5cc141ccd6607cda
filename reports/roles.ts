import type { RunRecord, SuiteRecord } from '../core/run-record.js';
import { closedBookTwinOf, roleOf, type SuiteRole } from '../core/suite-roles.js';
import { cellOf, metricOf } from './record-view.js';

/** The run's suites with one of `roles`, in record order. */
export function suitesWithRole(record: RunRecord, ...roles: readonly SuiteRole[]): SuiteRecord[] {
  return record.suites.filter((s) => roles.includes(roleOf(s)));
}

/** A closed-book suite and the open-book suite that names it as its twin; either may be missing. */
export interface KnowledgePair {
  readonly closed?: SuiteRecord;
  readonly open?: SuiteRecord;
}

/**
 * The run's knowledge suites as closed/open pairs: each closed-book suite with the first
 * open-book suite naming it as its twin, then open-book suites whose twin is not in the run.
 */
export function knowledgePairs(record: RunRecord): KnowledgePair[] {
  const opens = suitesWithRole(record, 'knowledge-open');
  const used = new Set<string>();
  const pairs: KnowledgePair[] = suitesWithRole(record, 'knowledge-closed').map((closed) => {
    const open = opens.find((o) => !used.has(o.id) && closedBookTwinOf(o) === closed.id);
    if (open) used.add(open.id);
    return { closed, ...(open ? { open } : {}) };
  });
  return [...pairs, ...opens.filter((o) => !used.has(o.id)).map((open) => ({ open }))];
}

/** Tags that records written before roles broke their role sections down by, in order of preference. */
const LEGACY_ROLE_TAGS = ['dialect', 'group', 'freq_bucket'];

/**
 * The slice tag a suite's role section breaks down by: the record's `roleSlice`, or
 * (records without one) the first legacy tag the cells carry, else the first tag.
 */
export function roleSliceOf(record: RunRecord, suite: SuiteRecord, metric: string): string | undefined {
  if (suite.roleSlice !== undefined) return suite.roleSlice;
  const tags = record.variants.flatMap((v) => metricOf(cellOf(record, v.id, suite.id), metric)?.slices.map((b) => b.tag) ?? []);
  return LEGACY_ROLE_TAGS.find((t) => tags.includes(t)) ?? tags[0];
}

/** A block or chart id for the `index`-th suite of a role: the plain id for the first, `<id>-<suite>` after it. */
export function roleBlockId(base: string, index: number, suiteId: string): string {
  return index === 0 ? base : `${base}-${suiteId}`;
}
