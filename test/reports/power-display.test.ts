import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord } from '../../core/run-record.js';
import { proportionMde } from '../../core/stats/power.js';
import { markdownSummary } from '../../reports/ci/markdown-summary.js';
import { formatDelta, formatMde } from '../../reports/format.js';
import { evaluateGate } from '../../reports/gate/evaluate.js';
import { comparisonOf, cellOf } from '../../reports/record-view.js';
import { gateSection } from '../../reports/sections/gate.js';
import { heatmapSection } from '../../reports/sections/heatmap.js';
import { summaryHeatmap } from '../../reports/summary/index.js';
import { buildFixtureRun } from './fixtures.js';

const test = suite('reports/power-display');

const { record, instances } = buildFixtureRun();
const VARIANT = 'teacher/rtn-w3-g128';
const SUITE = 'knowledge-closed';

test('run.json\'s MDE of a 0/1 comparison equals k·√(ρ_d/m) recomputed from instances.jsonl', () => {
  const lines = instances as { variantId: string; suiteId: string; instanceId: string; state: string; scores: Record<string, number> }[];
  const scores = (variantId: string): Map<string, number> =>
    new Map(lines.filter((l) => l.variantId === variantId && l.suiteId === SUITE && l.state === 'scored').map((l) => [l.instanceId, l.scores.contains]));
  const base = scores(record.baseline);
  const vari = scores(VARIANT);
  let differ = 0;
  let m = 0;
  for (const [id, s] of vari) {
    const b = base.get(id);
    if (b === undefined) continue;
    m++;
    if ((b >= 0.5) !== (s >= 0.5)) differ++;
  }
  const power = comparisonOf(cellOf(record, VARIANT, SUITE), 'contains')?.power;
  assert.ok(power, 'the comparison records its power');
  assert.is(power!.m, m);
  assert.is(power!.disagreementRate, differ / m);
  assert.ok(Math.abs(power!.mde - proportionMde(differ / m, m)) < 1e-12);
});

test('the summary heatmap cell\'s tooltip and the section table give the MDE beside the Δ', () => {
  const cmp = comparisonOf(cellOf(record, VARIANT, SUITE), 'contains')!;
  const row = summaryHeatmap(record).families.flatMap((f) => f.rows).find((r) => r.variantId === VARIANT)!;
  const cell = row.cells.find((c) => c.title.startsWith(`${SUITE}:`))!;
  assert.match(cell.title, `MDE ${formatMde(cmp.power!, '')} (α 0.05, power 0.8; models disagree on`);
  const section = heatmapSection({ record, instances: [] }).section;
  const texts = section.blocks.flatMap((b) => (b.kind === 'table' ? b.table.rows.flat().map((c) => (typeof c === 'string' ? c : c.text)) : []));
  assert.ok(texts.some((t) => t.includes(formatDelta(cmp.delta, '', cmp.power))), 'a table cell shows Δ [CI], n · MDE');
  assert.match(formatDelta(cmp.delta, '', cmp.power), /, n=\d+ · MDE \d+\.\d pp$/);
});

test('an underpowered pass is labelled in the gate section and listed in summary.md', () => {
  const verdict = evaluateGate(record, { rules: [{ id: 'ko.drop', kind: 'absolute_drop', suite: 'knowledge-open', metric: 'contains', tolerance: 0.05, variants: 'teacher/rtn-w4-g128' }] }, { source: 'p.json', sha256: 'b'.repeat(64) });
  assert.is(verdict.rules[0].verdict, 'pass', verdict.rules[0].reason);
  assert.is(verdict.rules[0].power?.status, 'underpowered');
  const gated: RunRecord = { ...record, gate: verdict };
  const rows = gateSection({ record: gated, instances: [] }).section.blocks.flatMap((b) => (b.kind === 'table' ? b.table.rows : []));
  assert.equal(rows[0][0], { text: 'pass, underpowered', sort: 1, tone: '#f3e6a8' });
  const md = markdownSummary(gated);
  assert.match(md, 'Rules: 1 passed (1 underpowered: the tolerance is below the minimum detectable effect)');
  assert.match(md, '### Underpowered passes');
  assert.match(md, /- .*ko\.drop.*underpowered: the rule allows a loss of 0\.05/);
});

test.run();
