import type { RunRecord } from '../../core/run-record.js';
import { isCompared } from '../../core/pairing.js';

/** The summary's verdict line: raw text and a tone. */
export interface SummaryVerdict {
  readonly tone: 'ok' | 'bad' | 'warn';
  readonly text: string;
}

/** `Gate: FAIL: 33 of 336 rules failed (3 skipped) on 9 of 24 compared variants; 2 of 200 cells errored.` */
export function summaryVerdict(record: RunRecord): SummaryVerdict {
  const errored = record.cells.filter((c) => c.state === 'errored').length;
  const incomplete = errored > 0 ? ` ${errored} of ${record.cells.length} cells errored.` : '';
  const gate = record.gate;
  if (!gate) return { tone: 'warn', text: `No gate verdict: the run applied no gate policy.${incomplete}` };
  const failed = gate.rules.filter((r) => r.verdict === 'fail');
  const skipped = gate.rules.filter((r) => r.verdict === 'skip').length;
  const compared = record.variants.filter((v) => isCompared(record, v.id)).length;
  const failingVariants = new Set(failed.map((r) => r.variantId)).size;
  const skip = skipped > 0 ? `, ${skipped} skipped` : '';
  const text = gate.verdict === 'pass'
    ? `Gate: PASS: all ${gate.rules.length} rules passed${skip}; ${compared} compared variants.${incomplete}`
    : `Gate: FAIL: ${failed.length} of ${gate.rules.length} rules failed${skip}, on ${failingVariants} of ${record.variants.length} variants (${compared} compared with a parent).${incomplete}`;
  return { tone: gate.verdict === 'pass' ? 'ok' : 'bad', text };
}
