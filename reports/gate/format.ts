import type { GateRuleResult, GateVerdict } from '../../core/run-record.js';
import { fmt } from './record-view.js';

/** What a rule result applies to: `suite/metric[/tag=value]`, or the measured figure. */
export function targetOf(r: GateRuleResult): string {
  return [r.suiteId, r.metric, r.slice].filter((x) => x !== undefined).join('/');
}

/** The verdict column: `PASS`, `FAIL`, `SKIP`, or `UNDERPOWERED` for a pass whose tolerance is below the MDE (docs/power.md). */
export function verdictLabel(r: GateRuleResult): string {
  return r.verdict === 'pass' && r.power?.status === 'underpowered' ? 'UNDERPOWERED' : r.verdict.toUpperCase();
}

/** Rule results that passed underpowered (their tolerance is below the minimum detectable effect). */
export function underpoweredPasses(verdict: GateVerdict): number {
  return verdict.rules.filter((r) => r.verdict === 'pass' && r.power?.status === 'underpowered').length;
}

/**
 * The gate's output: a header, one aligned line per rule result (verdict, rule id,
 * variant, target, value, bound, reason; an underpowered pass reads UNDERPOWERED), then the final verdict line with counts and
 * the policy's source and sha256, and the policy's description when it has one.
 */
export function verdictLines(verdict: GateVerdict): string[] {
  const header = ['VERDICT', 'RULE', 'VARIANT', 'TARGET', 'VALUE', 'BOUND', 'REASON'];
  const rows = verdict.rules.map((r) => [verdictLabel(r), r.rule, r.variantId, targetOf(r), fmt(r.value), fmt(r.bound), r.reason]);
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join('  ');
  const failed = verdict.rules.filter((r) => r.verdict === 'fail').length;
  const skipped = verdict.rules.filter((r) => r.verdict === 'skip').length;
  const weak = underpoweredPasses(verdict);
  const underpowered = weak > 0 ? `, ${weak} passed underpowered (tolerance below the minimum detectable effect; requirePower: true fails them)` : '';
  const counts = `${failed} of ${verdict.rules.length} checks failed${skipped > 0 ? `, ${skipped} skipped` : ''}${underpowered}`;
  return [
    line(header),
    ...rows.map(line),
    `gate: ${verdict.verdict.toUpperCase()} (${counts}; policy ${verdict.policySource} sha256 ${verdict.policySha256.slice(0, 12)})`,
    ...(verdict.policyDescription ? [`policy: ${verdict.policyDescription}`] : []),
  ];
}
