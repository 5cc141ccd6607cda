import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CellAgreement, CellRecord, RunRecord } from '../../core/run-record.js';
import { resultsCsv } from '../../reports/csv.js';
import { cellText, type Block } from '../../reports/document.js';
import { agreementSection } from '../../reports/sections/agreement.js';
import { cell, runRecord } from './gate/fixtures.js';

const test = suite('reports/sections/agreement');

const COMPUTED: CellAgreement = {
  state: 'computed', baseline: 'base', bound: 'exact', instances: 3, tokens: 700,
  meanKl: { value: 0.0123, low: 0.01, high: 0.015 }, sameTopRate: { value: 0.95, low: 0.94, high: 0.96 },
  dp: { mean: -0.002, p1: -0.2, p5: -0.05, p50: 0, p95: 0.04, p99: 0.1 },
};
const MISSING: CellAgreement = { state: 'not computed', baseline: 'base', reason: 'the baseline could not score this instance: <b>too long</b>' };

function withAgreement(variantId: string, agreement?: CellAgreement): CellRecord {
  const c = cell(variantId, 'ppl', [{ metric: 'perplexity', scores: [10, 11, 12], higherIsBetter: false }]);
  return agreement && c.state === 'ok' ? { ...c, agreement } : c;
}

function record(): RunRecord {
  const r = runRecord('base', [withAgreement('base'), withAgreement('base/w4', COMPUTED), withAgreement('base/w2', MISSING)]);
  return { ...r, variants: r.variants.map((v) => (v.id === 'base' ? v : { ...v, comparedTo: 'base' })), pairing: 'parent' };
}

test('one row per variant × suite with figures; not computed rows carry the reason', () => {
  const { section } = agreementSection({ record: record(), instances: [] });
  assert.is(section.id, 'agreement');
  const tables = section.blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');
  assert.is(tables.length, 1);
  const rows = tables[0].table.rows.map((r) => r.map(cellText));
  assert.equal(rows.map((r) => r[0]), ['base/w4', 'base/w2']);
  assert.equal(rows[0].slice(2, 5), ['0.0123 [0.0100, 0.0150]', '95.00% [94.00%, 96.00%]', '-0.20%']);
  assert.is(rows[0][5], '-20.00%');
  assert.match(rows[1][2], /^not computed: the baseline could not score/);
});

test('results.csv: agreement rows, and the reason of a missing one', () => {
  // the fields read here hold no comma or quote: a plain split is enough
  const [head, ...lines] = resultsCsv(record()).trim().split('\n').map((l) => l.split(','));
  const rows = lines.map((l) => Object.fromEntries(head.map((h, i) => [h, l[i]])));
  const w4 = rows.filter((r) => r.variant === 'base/w4' && r.metric.startsWith('agreement.'));
  assert.equal(w4.map((r) => r.metric), ['agreement.mean_kl', 'agreement.same_top_rate', 'agreement.dp_mean', 'agreement.dp_p1', 'agreement.dp_p5', 'agreement.dp_p50', 'agreement.dp_p95', 'agreement.dp_p99']);
  assert.equal([w4[0].value, w4[0].ci_low, w4[0].ci_high, w4[0].n], ['0.0123', '0.01', '0.015', '700']);
  const w2 = rows.filter((r) => r.variant === 'base/w2' && r.metric.startsWith('agreement.'));
  assert.equal(w2.map((r) => [r.state, r.error]), [['not computed', MISSING.reason]]);
});

test.run();
