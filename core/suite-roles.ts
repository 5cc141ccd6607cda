/**
 * What a suite is for, so reports and the default gate select suites by role rather
 * than by id: a user's suites fill the same sections as the bundled ones. suite.json
 * declares `role`; the run record carries it in each {@link SuiteRecord}.
 */
import type { SuiteRecord } from './run-record.js';

/**
 * Every suite role. The suite and run-record schemas' `role` enums list exactly these
 * (a test checks it).
 */
export const SUITE_ROLES = [
  'knowledge-closed',
  'knowledge-open',
  'rare-words',
  'reasoning',
  'fairness',
  'fairness-pairs',
  'perplexity',
  'other',
] as const;

/** One suite role. */
export type SuiteRole = (typeof SUITE_ROLES)[number];

/** The role of a suite.json without one. */
export const DEFAULT_SUITE_ROLE: SuiteRole = 'other';

/** True when `name` is a suite role. */
export function isSuiteRole(name: unknown): name is SuiteRole {
  return typeof name === 'string' && (SUITE_ROLES as readonly string[]).includes(name);
}

/**
 * A run record's suite role. Records written before suites had roles carry none: there
 * the bundled suites' ids, which were the roles' only carriers then, stand in; any
 * other suite is `other`.
 */
export function roleOf(suite: Pick<SuiteRecord, 'id' | 'role'>): SuiteRole {
  if (suite.role !== undefined) return suite.role;
  if (isSuiteRole(suite.id)) return suite.id;
  if (suite.id === 'fairness-people') return 'fairness';
  return DEFAULT_SUITE_ROLE;
}

/** The closed-book twin of an open-book suite (legacy records: the bundled pair). */
export function closedBookTwinOf(suite: Pick<SuiteRecord, 'id' | 'role' | 'closedBookTwin'>): string | undefined {
  if (suite.closedBookTwin !== undefined) return suite.closedBookTwin;
  return suite.role === undefined && suite.id === 'knowledge-open' ? 'knowledge-closed' : undefined;
}
