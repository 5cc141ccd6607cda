import type { RunRecord } from '../../core/run-record.js';

/** What a run cannot measure and the provider states in `config.changeRecord`. */
export interface Declared {
  /** Intended purpose of the system (Annex IV 1(a)), or the 'not provided' line. */
  readonly intendedPurpose: string;
  /** Human oversight measures (Art. 14; Annex IV 2(e)), or the 'not provided' line. */
  readonly humanOversight: string;
  /** Sign-offs as given; empty when none was provided. */
  readonly signOff: readonly { readonly role: string; readonly name: string; readonly date: string }[];
}

/** The text used for every field the configuration does not provide. */
export const NOT_PROVIDED = 'not provided';

/**
 * Reads `config.changeRecord` of a run record. A field that is absent or not a
 * non-empty string reads `not provided (config.changeRecord.<field>)`: the record never
 * invents a purpose, an oversight measure or a signature.
 */
export function declaredOf(record: RunRecord): Declared {
  const raw = (record.config as { changeRecord?: unknown }).changeRecord;
  const c = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const text = (key: string): string => (typeof c[key] === 'string' && (c[key] as string).trim() !== '' ? (c[key] as string) : `${NOT_PROVIDED} (config.changeRecord.${key})`);
  const signOff = Array.isArray(c.signOff)
    ? c.signOff.filter((s): s is Record<string, unknown> => !!s && typeof s === 'object').map((s) => ({ role: String(s.role ?? ''), name: String(s.name ?? ''), date: typeof s.date === 'string' ? s.date : NOT_PROVIDED }))
    : [];
  return { intendedPurpose: text('intendedPurpose'), humanOversight: text('humanOversight'), signOff };
}
