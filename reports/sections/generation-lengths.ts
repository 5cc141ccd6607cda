/**
 * "Generation length and endings" (issue 24): per generate suite, each variant's median
 * and 95th-percentile generated tokens against its parent's, the share of generations
 * that hit the token limit, and how the others ended. Reads the cells' `generation`.
 */
import type { GenerationLengthRecord, RunRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block, type TableCell } from '../document.js';
import { cellOf, orderedVariants, parentOf } from '../record-view.js';
import type { BuiltSection, ReportInput } from './built.js';

function lengthsOf(record: RunRecord, variantId: string, suiteId: string): GenerationLengthRecord | undefined {
  const cell = cellOf(record, variantId, suiteId);
  return cell?.state === 'ok' ? cell.generation : undefined;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const tokens = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));

function ratioCell(own: number, base: number | undefined): TableCell {
  if (base === undefined) return { text: '—' };
  if (!(base > 0)) return { text: 'n/a (parent 0)' };
  return numCell(`${(own / base).toFixed(2)}×`, own / base);
}

function row(record: RunRecord, variantId: string, suiteId: string): (TableCell | string)[] | undefined {
  const g = lengthsOf(record, variantId, suiteId);
  if (!g) return undefined;
  const parent = parentOf(record, variantId);
  const base = parent === undefined ? undefined : lengthsOf(record, parent, suiteId);
  const against = (own: string, other: string | undefined): string => (other === undefined ? own : `${own} (${other})`);
  const endings = Object.entries(g.finishReasons).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const missing = [g.errored > 0 ? `${g.errored} errored` : '', g.unrecorded > 0 ? `${g.unrecorded} without a recorded length` : ''].filter(Boolean).join(', ');
  return [
    variantId,
    parent ?? '—',
    numCell(String(g.n), g.n),
    numCell(against(tokens(g.medianTokens), base && tokens(base.medianTokens)), g.medianTokens),
    numCell(against(tokens(g.p95Tokens), base && tokens(base.p95Tokens)), g.p95Tokens),
    ratioCell(g.medianTokens, base?.medianTokens),
    ratioCell(g.p95Tokens, base?.p95Tokens),
    numCell(against(pct(g.hitLimitRate), base && pct(base.hitLimitRate)), g.hitLimitRate),
    missing ? `${endings}; ${missing}` : endings,
  ];
}

/** The report section: one table per generate suite. */
export function generationLengthsSection({ record }: ReportInput): BuiltSection {
  const suites = record.suites.filter((s) => s.kind === 'generate');
  const blocks: Block[] = [];
  for (const suite of suites) {
    const rows = orderedVariants(record).map((v) => row(record, v.id, suite.id)).filter((r): r is (TableCell | string)[] => r !== undefined);
    if (rows.length === 0) continue;
    blocks.push(para(`${suite.id}: generated tokens per instance (EOS or stop-completing token included), the variant's figure with its parent's in brackets; "hit limit" is the share that ended at the token limit (finish reason length).`));
    blocks.push(table({ id: `generation-${suite.id}`, columns: ['variant', 'parent', 'n', 'median tokens', 'p95 tokens', 'median ratio', 'p95 ratio', 'hit limit', 'endings'], rows }));
  }
  if (blocks.length === 0) blocks.push(para(suites.length === 0 ? 'No generate suite in this run: no generation lengths.' : 'No generation lengths recorded (a run record from before lengths were recorded).'));
  return { section: { id: 'generation-lengths', title: 'Generation length and endings', blocks }, charts: [] };
}
