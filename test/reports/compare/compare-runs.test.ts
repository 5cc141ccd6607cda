import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRuns } from '../../../reports/compare/compare-runs.js';
import { comparisonLines } from '../../../reports/compare/format-comparison.js';
import { loadRunDir } from '../../../reports/compare/load-run.js';
import { tempDir, writeRunDir, type SyntheticInstance } from './synthetic-run.js';

const test = suite('reports/compare/compare-runs');

const instances = (variantId: string, scores: number[]): SyntheticInstance[] =>
  scores.map((acc, i) => ({ variantId, suiteId: 'qa', instanceId: `q${i}`, scores: { acc } }));

test('cells in both runs get values, Δ and paired statistics; others are listed', () => {
  const root = tempDir('compare-runs');
  const a = writeRunDir(
    join(root, 'a'),
    {
      runId: 'a',
      suites: [{ id: 'qa', metrics: ['acc'] }, { id: 'ppl', metrics: ['perplexity'] }],
      cells: {
        base: { qa: { acc: { value: 0.5, low: 0.3, high: 0.7 } }, ppl: { perplexity: { value: 20, higherIsBetter: false, method: 'bootstrap' } } },
        old: { qa: { acc: { value: 0.2 } } },
      },
    },
    instances('base', [1, 1, 0, 0]),
  );
  const b = writeRunDir(
    join(root, 'b'),
    {
      runId: 'b',
      suites: [{ id: 'qa', metrics: ['acc'] }, { id: 'ppl', metrics: ['perplexity'] }],
      cells: { base: { qa: { acc: { value: 0.75, low: 0.5, high: 0.9 } }, ppl: 'errored' }, new: { qa: { acc: { value: 0.1 } } } },
    },
    instances('base', [1, 1, 1, 0]),
  );
  const c = compareRuns(loadRunDir(a), loadRunDir(b));
  assert.equal(c.onlyA, ['old/qa/acc']);
  assert.equal(c.onlyB, ['new/qa/acc']);
  assert.is(c.cells.length, 2);
  const acc = c.cells[0];
  assert.is(`${acc.variantId}/${acc.suiteId}/${acc.metric}`, 'base/qa/acc');
  assert.is(acc.a.value, 0.5);
  assert.is(acc.b.high, 0.9);
  assert.is(acc.delta, 0.25);
  assert.is(acc.paired?.delta?.delta, 0.25);
  assert.is(acc.paired?.flips?.wrongToRight, 1);
  assert.is(acc.paired?.flips?.mcnemarP, 1); // b=0, c=1: 2·P[X ≤ 0] = 2·½ = 1
  const ppl = c.cells[1];
  assert.is(ppl.b.state, 'errored');
  assert.is(ppl.delta, null);
  assert.is(ppl.higherIsBetter, false);
  const text = comparisonLines(c).join('\n');
  assert.match(text, /base\/qa\/acc \(higher is better\)/);
  assert.match(text, /A 0\.500 \[0\.300, 0\.700\] n=100  B 0\.750 \[0\.500, 0\.900\] n=100  Δ \+0\.250/);
  assert.match(text, /only in A: old\/qa\/acc/);
  assert.match(text, /B ERRORED/);
});

test('without instances.jsonl the cell is compared unpaired; ratio values get a note', () => {
  const root = tempDir('compare-unpaired');
  const run = { runId: 'x', suites: [{ id: 'qa', metrics: ['acc'] }], cells: { base: { qa: { acc: { value: 0.5, method: 'bootstrap' as const } } } } };
  const a = writeRunDir(join(root, 'a'), run);
  const b = writeRunDir(join(root, 'b'), run, instances('base', [1, 1, 1, 0]));
  const c = compareRuns(loadRunDir(a), loadRunDir(b));
  assert.is(c.a.hasInstances, false);
  assert.is(c.cells[0].paired, null);
  assert.match(comparisonLines(c).join('\n'), /unpaired \(no instances\.jsonl\)/);
  // B's instance mean is 0.75 but its value 0.5: the value is not a per-instance mean
  const reverse = compareRuns(loadRunDir(b), loadRunDir(b));
  assert.match(reverse.cells[0].note ?? '', /ratio of sums/);
  assert.is(reverse.cells[0].paired?.flips, null, 'bootstrap metric: no McNemar');
});

test.run();
