import type { SuiteRecord } from '../core/run-record.js';
import { DEFAULT_SUITE_ROLE } from '../core/suite-roles.js';
import type { SuiteSpec } from './spec.js';

/**
 * The role fields a run record's suite entry carries: the role (default `other`), an
 * open-book suite's closed-book twin, and the slice tag the role breaks down by
 * (`roleSlice`, else the first of `slices`).
 */
export function suiteRoleFields(spec: SuiteSpec): Pick<SuiteRecord, 'role' | 'closedBookTwin' | 'roleSlice'> {
  const roleSlice = spec.roleSlice ?? spec.slices?.[0];
  return {
    role: spec.role ?? DEFAULT_SUITE_ROLE,
    ...(spec.closedBookTwin === undefined ? {} : { closedBookTwin: spec.closedBookTwin }),
    ...(roleSlice === undefined ? {} : { roleSlice }),
  };
}
