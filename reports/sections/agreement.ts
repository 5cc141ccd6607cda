/**
 * Distribution agreement with the baseline, as llama.cpp's perplexity tool reports it for
 * quantized models (`--kl-divergence`): per model family, one row per variant × suite
 * whose tokens are scored (loglikelihood and rolling suites), with the mean KL per token
 * and the same-top-token rate (95% bootstrap intervals over instances) and percentiles of
 * Δp, the change in the reference token's probability. `not computed` rows say why.
 */
import { variantFamilies } from '../../core/pairing.js';
import type { CellAgreement, RunRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block, type TableCell } from '../document.js';
import { cellOf } from '../record-view.js';
import type { BuiltSection, ReportInput } from './built.js';

const SECTION = { id: 'agreement', title: 'Distribution agreement with the baseline (KL, same top token, Δp)' } as const;

/** A cell's agreement, when the run recorded one. */
export function agreementOf(record: RunRecord, variantId: string, suiteId: string): CellAgreement | undefined {
  const cell = cellOf(record, variantId, suiteId);
  return cell?.state === 'ok' ? cell.agreement : undefined;
}

function sci(x: number): string {
  return x === 0 ? '0' : Math.abs(x) >= 0.01 ? x.toFixed(4) : x.toExponential(2);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function row(variantId: string, suiteId: string, a: CellAgreement): (TableCell | string)[] {
  if (a.state !== 'computed') return [variantId, suiteId, { text: `not computed: ${a.reason}`, tone: '#f4b6b6' }, '', '', '', '', '', '', ''];
  const { meanKl: kl, sameTopRate: top, dp } = a;
  return [
    variantId,
    suiteId,
    numCell(`${sci(kl.value)} [${sci(kl.low)}, ${sci(kl.high)}]${a.bound === 'exact' ? '' : ' ≥'}`, kl.value),
    numCell(`${pct(top.value)} [${pct(top.low)}, ${pct(top.high)}]`, top.value),
    numCell(pct(dp.mean), dp.mean),
    numCell(pct(dp.p1), dp.p1),
    numCell(pct(dp.p5), dp.p5),
    numCell(pct(dp.p50), dp.p50),
    numCell(pct(dp.p95), dp.p95),
    numCell(pct(dp.p99), dp.p99),
  ];
}

/** The agreement section: one table per model family with any agreement figures. */
export function agreementSection({ record }: ReportInput): BuiltSection {
  const blocks: Block[] = [
    para(
      'Per scored token of every loglikelihood and rolling suite, the variant\'s next-token distribution Q is compared with its baseline\'s P at the same position: ' +
        'mean KL(P ‖ Q) in nats per token, the share of tokens whose most probable next token is the same, and Δp = Q(reference token) − P(reference token) in percentage points ' +
        '(llama.cpp perplexity --kl-divergence). Intervals: 95% bootstrap over instances. A KL marked ≥ is a lower bound (large vocabulary: top-K tokens + one tail bucket).',
    ),
  ];
  let tables = 0;
  for (const family of variantFamilies(record)) {
    const rows = family.variants.flatMap((v) =>
      record.suites.flatMap((s) => {
        const a = agreementOf(record, v.id, s.id);
        return a ? [row(v.id, s.id, a)] : [];
      }),
    );
    if (rows.length === 0) continue;
    blocks.push(table({
      id: tables === 0 ? 'agreement-table' : `agreement-table-${family.model}`,
      caption: `${family.model}: variants against their baselines`,
      columns: ['variant', 'suite', 'mean KL (nats/token) [95% CI]', 'same top token [95% CI]', 'Δp mean', 'Δp p1', 'Δp p5', 'Δp p50', 'Δp p95', 'Δp p99'],
      rows,
    }));
    tables++;
  }
  if (tables === 0) blocks.push(para('This run recorded no distribution agreement (no variant compared with another on a loglikelihood or rolling suite).', 'warn'));
  return { section: { ...SECTION, blocks }, charts: [] };
}
