import { numCell, para, table } from '../document.js';
import { formatNumber } from '../format.js';
import { underpoweredPasses } from '../gate/format.js';
import type { BuiltSection, ReportInput } from './built.js';

/** The gate verdict with the failing rules first, then every rule (DESIGN.md §7). */
export function gateSection({ record }: ReportInput): BuiltSection {
  const gate = record.gate;
  if (!gate) {
    return { section: { id: 'gate', title: 'Gate verdict', blocks: [para('No gate verdict in this run record (the run did not apply a gate policy).', 'warn')] }, charts: [] };
  }
  const failing = gate.rules.filter((r) => r.verdict === 'fail');
  const ordered = [...failing, ...gate.rules.filter((r) => r.verdict === 'pass'), ...gate.rules.filter((r) => r.verdict === 'skip')];
  const rows = ordered.map((r) => [
    r.verdict === 'fail'
      ? { text: 'FAIL', sort: 0, tone: '#f4b6b6' }
      : r.verdict === 'pass'
        ? r.power?.status === 'underpowered' ? { text: 'pass, underpowered', sort: 1, tone: '#f3e6a8' } : { text: 'pass', sort: 1, tone: '#c8ecc8' }
        : { text: 'skip', sort: 2, tone: '#eeeeee' },
    r.rule,
    r.kind,
    r.variantId,
    [r.suiteId, r.metric, r.slice].filter(Boolean).join(' / ') || '—',
    numCell(r.value === null ? 'missing (fail-closed)' : formatNumber(r.value), r.value),
    numCell(formatNumber(r.bound), r.bound),
    r.reason,
  ]);
  const weak = underpoweredPasses(gate);
  const underpowered = weak > 0 ? ` ${weak} passed underpowered: the loss the rule allows is below the minimum detectable effect (α 0.05, power 0.8), so the suite could not have seen it; requirePower: true in the policy fails them.` : '';
  const headline = gate.verdict === 'pass'
    ? para(`Gate: PASS (${gate.rules.length} rules, policy ${gate.policySource}, sha256 ${gate.policySha256}).${underpowered}`, weak > 0 ? 'warn' : 'ok')
    : para(`Gate: FAIL: ${failing.length} of ${gate.rules.length} rules failed (policy ${gate.policySource}, sha256 ${gate.policySha256}).${underpowered}`, 'bad');
  return {
    section: {
      id: 'gate',
      title: 'Gate verdict',
      blocks: [
        headline,
        ...(gate.policyDescription ? [para(`Policy: ${gate.policyDescription}`)] : []),
        para('Every rule, failing first; the filter box above hides rows without its text (a variant, suite, rule or word of a reason).'),
        table({ id: 'gate-rules', filterable: true, columns: ['verdict', 'rule', 'kind', 'variant', 'suite / metric / slice', 'value', 'bound', 'reason'], rows }),
      ],
    },
    charts: [],
  };
}
