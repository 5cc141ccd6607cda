/**
 * What `compbench run` says when it ends, as plain data: the verdict and its exit code,
 * counts, the failing gate rules grouped by variant, and where the full lists are. The
 * terminal lines (lines.ts) and `--json` are two renderings of the same object.
 */
import type { GateRuleResult, GateVerdict, RunRecord } from '../../core/run-record.js';
import { targetOf, underpoweredPasses } from '../gate/format.js';

/** One failing rule, short: its id, what it tested and how it missed. */
export interface FailingRule {
  readonly rule: string;
  readonly target: string;
  readonly value: number | null;
  readonly bound: number;
  /** The comparison (`0.6497 ≥ 0.25`), or why the value could not be read (`too few instances to trust`); details in gate.txt. */
  readonly short: string;
  /** The gate's whole reason (as in gate.txt). */
  readonly reason: string;
}

/** The failing rules of one variant, in the gate's order. */
export interface FailingVariant {
  readonly variantId: string;
  readonly rules: readonly FailingRule[];
}

/** Files the run wrote, absolute paths. */
export interface RunEndPaths {
  readonly record: string;
  readonly report: string;
  /** Every gate rule, one per line. */
  readonly gate: string;
  /** Every suite × metric × variant line. */
  readonly summary: string;
}

/** The end of a run: `--json` prints exactly this object. */
export interface RunEndSummary {
  readonly verdict: 'pass' | 'fail' | 'incomplete';
  readonly exitCode: number;
  /** What the exit code means, in words. */
  readonly meaning: string;
  readonly gate: { readonly verdict: 'pass' | 'fail'; readonly policySource: string; readonly policySha256: string };
  readonly counts: {
    readonly variants: number;
    readonly suites: number;
    readonly cells: number;
    readonly cellsErrored: number;
    readonly instancesComputed: number;
    readonly instancesCached: number;
    readonly rulesPassed: number;
    /** Of the passed, those whose tolerance is below the minimum detectable effect (docs/power.md). */
    readonly rulesUnderpowered: number;
    readonly rulesFailed: number;
    readonly rulesSkipped: number;
    readonly warnings: number;
  };
  readonly failing: readonly FailingVariant[];
  readonly paths: RunEndPaths;
}

/** The summary of a gated run; `exitCode` is the one the CLI returns. */
export function runEndSummary(record: RunRecord, verdict: GateVerdict, exitCode: number, paths: RunEndPaths): RunEndSummary {
  const count = (v: GateRuleResult['verdict']): number => verdict.rules.filter((r) => r.verdict === v).length;
  const cellsErrored = record.cells.filter((c) => c.state === 'errored').length;
  const state = !record.complete ? 'incomplete' : verdict.verdict;
  const meaning = {
    pass: `exit ${exitCode}: every gate rule passed or was skipped`,
    fail: `exit ${exitCode}: the gate failed`,
    incomplete: `exit ${exitCode}: the run is incomplete, ${cellsErrored} of ${record.cells.length} cells failed`,
  }[state];
  return {
    verdict: state,
    exitCode,
    meaning,
    gate: { verdict: verdict.verdict, policySource: verdict.policySource, policySha256: verdict.policySha256 },
    counts: {
      variants: record.variants.length,
      suites: record.suites.length,
      cells: record.cells.length,
      cellsErrored,
      instancesComputed: record.resultCache?.computedInstances ?? 0,
      instancesCached: record.resultCache?.reusedInstances ?? 0,
      rulesPassed: count('pass'),
      rulesUnderpowered: underpoweredPasses(verdict),
      rulesFailed: count('fail'),
      rulesSkipped: count('skip'),
      warnings: record.variants.filter((v) => v.calibration?.warning).length,
    },
    failing: failingByVariant(verdict.rules),
    paths,
  };
}

/** Failing rules grouped by variant: most failures first, ties in order of first failure. */
export function failingByVariant(rules: readonly GateRuleResult[]): FailingVariant[] {
  const byVariant = new Map<string, FailingRule[]>();
  for (const r of rules) {
    if (r.verdict !== 'fail') continue;
    const list = byVariant.get(r.variantId) ?? [];
    list.push({ rule: r.rule, target: targetOf(r), value: r.value, bound: r.bound, short: shortReason(r), reason: r.reason });
    byVariant.set(r.variantId, list);
  }
  // Most failures first, so the variants a capped list leaves out are the least broken.
  return [...byVariant].map(([variantId, list]) => ({ variantId, rules: list })).sort((a, b) => b.rules.length - a.rules.length);
}

/**
 * A judged value's reason starts with the comparison and puts the detail in parentheses;
 * an unread value's reason names the variant the line already names.
 */
function shortReason(r: GateRuleResult): string {
  const reason = r.reason.startsWith(`variant ${r.variantId}: `) ? r.reason.slice(`variant ${r.variantId}: `.length) : r.reason;
  const cut = reason.indexOf(' (');
  return cut > 0 ? reason.slice(0, cut) : reason;
}
