/**
 * What a suite builder returns: the suite.json object, its JSONL rows and the facts the
 * README states about it (sizes per slice, how it is held out from the corpus).
 */

/** One instance row of a data.jsonl file (written with JSON.stringify, key order as built). */
export type SuiteRow = Record<string, unknown>;

/** A bundled suite, ready to be written as `suites/<id>/suite.json` + `data.jsonl`. */
export interface BuiltSuite {
  readonly id: string;
  /** The suite.json object (validated by core/schemas/suite.schema.json when loaded). */
  readonly spec: Record<string, unknown>;
  readonly rows: readonly SuiteRow[];
  /** One or two sentences for the README: why no instance text is in the training corpus. */
  readonly heldOut: string;
  /** Tag names whose per-value instance counts the README lists. */
  readonly countedTags: readonly string[];
  /** Whether the suite's main metric is a 0/1 proportion (the README then gives Wilson half-widths). */
  readonly binary: boolean;
}
