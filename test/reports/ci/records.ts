/** Run records for the CI-format tests: the report fixture with a gate of every verdict, hostile ids and an errored cell. */
import type { CellRecord, GateRuleResult, RunRecord } from '../../../core/run-record.js';
import { buildFixtureRun } from '../fixtures.js';

/** Markup, quotes and a control character XML 1.0 does not allow. */
export const HOSTILE = `<script>&"'\u0001|\`x\`*_`;

/** A variant id built from {@link HOSTILE}. */
export const HOSTILE_VARIANT = `v${HOSTILE}`;

let cached: RunRecord | undefined;

/** The fixture record (built once: its aggregates are bootstrapped). */
export function fixtureRecord(): RunRecord {
  cached ??= buildFixtureRun().record;
  return cached;
}

/** Rules of every verdict on two fixture variants plus one on {@link HOSTILE_VARIANT}. */
export const HOSTILE_RULES: readonly GateRuleResult[] = [
  { rule: 'latency', kind: 'latency', variantId: 'teacher/rtn-w3-g128', metric: 'decode.p99Ms', value: null, bound: 100, verdict: 'skip', reason: 'skip (simulated): no packed kernel ran' },
  { rule: `r${HOSTILE}`, kind: 'floor', variantId: HOSTILE_VARIANT, suiteId: `s${HOSTILE}`, metric: 'contains', slice: `group=${HOSTILE}`, value: 0.1, bound: 0.5, verdict: 'fail', reason: `below ${HOSTILE}\nsecond line` },
  { rule: 'memory', kind: 'memory', variantId: HOSTILE_VARIANT, metric: 'peakRssBytes', value: 1, bound: 2, verdict: 'pass', reason: 'ok' },
];

/** An errored cell with hostile text. */
export const HOSTILE_CELL: CellRecord = { state: 'errored', variantId: HOSTILE_VARIANT, suiteId: `s${HOSTILE}`, durationMs: 1, error: `worker died: ${HOSTILE}\n  at stack` };

/** The fixture record with {@link HOSTILE_RULES} added to its gate and {@link HOSTILE_CELL} to its cells. */
export function hostileRecord(): RunRecord {
  const base = fixtureRecord();
  const gate = base.gate;
  if (!gate) throw new Error('the fixture has a gate');
  return { ...base, cells: [...base.cells, HOSTILE_CELL], complete: false, gate: { ...gate, rules: [...gate.rules, ...HOSTILE_RULES] } };
}
