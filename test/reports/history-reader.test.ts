import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readHistory } from '../../reports/history-reader.js';
import { appendRun } from '../../reports/history/index.js';
import { renderReport } from '../../reports/render.js';
import { writeFixtureRun } from './fixtures.js';

const test = suite('reports/history-reader');

test('no store: the section says so', async () => {
  const result = await readHistory(join(tmpdir(), 'does-not-exist', 'history.sqlite'));
  assert.is(result.state, 'absent');
});

test('with runs/history.sqlite beside the run, the report shows the trend of every main metric', async () => {
  const root = mkdtempSync(join(tmpdir(), 'compbench-history-'));
  const runs = join(root, 'runs');
  const first = writeFixtureRun(join(runs, 'r1'), { runId: 'r1', createdAt: '2026-01-01T00:00:00.000Z' });
  writeFixtureRun(join(runs, 'r2'), { runId: 'r2', createdAt: '2026-01-02T00:00:00.000Z' });
  appendRun(join(runs, 'history.sqlite'), join(runs, 'r1'));
  appendRun(join(runs, 'history.sqlite'), join(runs, 'r2'));
  const read = await readHistory(join(runs, 'history.sqlite'));
  assert.is(read.state, 'found');
  if (read.state !== 'found') return;
  assert.equal(read.trends.runs.map((r) => r.runId), ['r1', 'r2']);
  const cell = first.cells.find((c) => c.variantId === 'teacher' && c.suiteId === 'knowledge-closed') as unknown as { aggregate: { metrics: { contains: { overall: { value: number } } } } };
  const series = read.trends.series.find((s) => s.key === 'teacher/knowledge-closed/contains');
  assert.ok(series, read.trends.series.map((s) => s.key).join(', '));
  assert.equal(series!.values, [cell.aggregate.metrics.contains.overall.value, cell.aggregate.metrics.contains.overall.value]);
  const result = await renderReport(join(runs, 'r2'), { pngs: false });
  const html = readFileSync(join(result.outDir, 'report.html'), 'utf8');
  assert.ok(html.includes('id="chart-history"') && html.includes('2 runs from'));
  rmSync(root, { recursive: true, force: true });
});

test.run();
