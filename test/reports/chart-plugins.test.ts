import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { drawUncertainty, uncertaintyPluginSource, type UncertaintyChart } from '../../reports/chart-plugins.js';
import type { InstanceLine } from '../../reports/load-run.js';
import { buildSections } from '../../reports/render.js';
import { cellOf, metricOf } from '../../reports/record-view.js';
import { headlineAccuracy } from '../../reports/sections/pareto.js';
import { buildFixtureRun } from './fixtures.js';

const test = suite('reports/chart-plugins');

/** A stand-in chart: y pixel = 100 − value, and a log of the path drawn. */
function fakeChart(datasets: Record<string, unknown>[], elements: { x: number; y: number; base?: number; width?: number }[][], hidden: number[] = []): { chart: UncertaintyChart; lines: number[][] } {
  const lines: number[][] = [];
  let at: number[] = [];
  const ctx = {
    save() {}, restore() {}, beginPath() {}, stroke() {}, rect() {}, clip() {}, setLineDash() {},
    moveTo(x: number, y: number) { at = [x, y]; },
    lineTo(x: number, y: number) { lines.push([...at, x, y]); at = [x, y]; },
    strokeStyle: '' as unknown, lineWidth: 1,
  };
  const chart: UncertaintyChart = {
    ctx, chartArea: { left: 0, right: 200, top: 0, bottom: 100 },
    scales: { y: { getPixelForValue: (v: number) => 100 - v } },
    data: { datasets },
    getDatasetMeta: (i) => ({ data: elements[i] }),
    isDatasetVisible: (i) => !hidden.includes(i),
  };
  return { chart, lines };
}

test('error bars: one vertical line from low to high with two caps per bar; null and hidden datasets draw nothing', () => {
  const { chart, lines } = fakeChart(
    [{ errorBars: [[10, 30], null], borderColor: '#123456' }, { errorBars: [[0, 50]] }],
    [[{ x: 20, y: 80 }, { x: 40, y: 70 }], [{ x: 60, y: 75 }]],
    [1],
  );
  drawUncertainty(chart);
  assert.equal(lines, [[20, 90, 20, 70], [16, 90, 24, 90], [16, 70, 24, 70]]);
});

test('hatch: stripes drawn only over bars of a hatched dataset', () => {
  const { chart, lines } = fakeChart([{ hatch: 'vertical' }, {}], [[{ x: 50, y: 40, base: 100, width: 12 }], [{ x: 80, y: 40, base: 100, width: 12 }]]);
  drawUncertainty(chart);
  assert.ok(lines.length > 0);
  assert.ok(lines.every(([x1, , x2]) => x1 === x2), 'vertical stripes');
});

test('the page registers the same function, self-contained', () => {
  const source = uncertaintyPluginSource();
  assert.ok(source.includes(drawUncertainty.toString()));
  // Evaluates on its own (nothing it references is missing): registers once with a Chart stand-in.
  const registered: unknown[] = [];
  new Function('window', source)({ Chart: { register: (p: unknown) => registered.push(p) } });
  assert.is(registered.length, 1);
});

test('chart configs are plain JSON and carry each accuracy point\'s 95% CI from the record', () => {
  const { record, instances } = buildFixtureRun();
  const built = buildSections({ record, instances: instances as InstanceLine[] }, { state: 'absent', reason: 'test' });
  const charts = built.flatMap((b) => b.charts);
  for (const c of charts) assert.equal(JSON.parse(JSON.stringify(c.config)), c.config, `${c.id} is plain JSON`);
  const headline = headlineAccuracy(record)!;
  const size = charts.find((c) => c.id === 'pareto-size')!;
  const datasets = (size.config as { data: { datasets: { label: string; data: { y: number }[]; errorBars?: [number, number][] }[] } }).data.datasets;
  for (const ds of datasets.filter((d) => d.label !== 'Pareto front')) {
    const overall = metricOf(cellOf(record, ds.label, headline.suiteId), headline.metric)!.overall;
    assert.equal(ds.errorBars, [[overall.low! * 100, overall.high! * 100]], ds.label);
    assert.ok(ds.errorBars![0][0] <= ds.data[0].y && ds.data[0].y <= ds.errorBars![0][1]);
  }
  const rare = charts.find((c) => c.id === 'chart-rare-words')!;
  const rareSets = (rare.config as { data: { datasets: { data: (number | null)[]; errorBars: ([number, number] | null)[] }[] } }).data.datasets;
  for (const ds of rareSets) ds.data.forEach((y, i) => (y === null ? assert.is(ds.errorBars[i], null) : assert.ok(ds.errorBars[i]![0] <= y && y <= ds.errorBars[i]![1])));
  for (const id of ['chart-fairness-fairness', 'chart-fairness-gap-fairness', 'chart-knowledge']) {
    const c = charts.find((x) => x.id === id);
    assert.ok(c, id);
    const sets = (c!.config as { data: { datasets: { errorBars?: unknown[] }[] } }).data.datasets;
    assert.ok(sets.every((d) => Array.isArray(d.errorBars) && d.errorBars.some((b) => b !== null)), `${id} has error bars`);
  }
  const gap = charts.find((c) => c.id === 'chart-fairness-gap-fairness')!;
  const gapSet = (gap.config as { data: { datasets: { label: string; data: (number | null)[]; errorBars: ([number, number] | null)[] }[] } }).data.datasets[1];
  gapSet.data.forEach((y, i) => y !== null && gapSet.errorBars[i] && assert.ok(gapSet.errorBars[i]![0] <= y && y <= gapSet.errorBars[i]![1], `gap ${i} inside its CI`));
});

test('greyscale: series differ by point style and dash pattern, not only by hue', () => {
  const { record } = buildFixtureRun();
  const charts = buildSections({ record, instances: [] }, { state: 'absent', reason: 'test' }).flatMap((b) => b.charts);
  const rare = charts.find((c) => c.id === 'chart-rare-words')!;
  const sets = (rare.config as { data: { datasets: { pointStyle: string; borderDash: number[] }[] } }).data.datasets;
  const looks = new Set(sets.map((d) => `${d.pointStyle} ${d.borderDash.join(',')}`));
  assert.is(looks.size, sets.length);
});

test.run();
