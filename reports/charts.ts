/**
 * Chart.js configurations built from the run record: plain JSON (no functions), so the
 * same object is inlined into report.html and rendered to charts/*.png.
 */

/** One chart: its id (canvas id and PNG file name), title and Chart.js configuration. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Chart size in CSS pixels, for the canvas and the PNG. */
export const CHART_WIDTH = 720;
/** Chart height in CSS pixels. */
export const CHART_HEIGHT = 360;

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** A fixed colour per series index. */
export function seriesColour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

const BASE_OPTIONS = { animation: false, responsive: false, devicePixelRatio: 1 };

function titled(title: string, x: string, y: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...BASE_OPTIONS,
    plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
    scales: { x: { title: { display: true, text: x }, ...(extra.x as object) }, y: { title: { display: true, text: y }, ...(extra.y as object) } },
  };
}

/** A point of a scatter chart, labelled by its variant. */
export interface LabelledPoint {
  readonly label: string;
  readonly x: number;
  readonly y: number;
}

/**
 * The Pareto front of points where smaller x and larger y are better: a point is on it
 * when no other point has x ≤ and y ≥ with one strict. Returned in ascending x.
 */
export function paretoFront(points: readonly LabelledPoint[]): LabelledPoint[] {
  return points
    .filter((p) => !points.some((q) => q !== p && q.x <= p.x && q.y >= p.y && (q.x < p.x || q.y > p.y)))
    .sort((a, b) => a.x - b.x || b.y - a.y);
}

/** A scatter of accuracy against a cost, one dataset per variant plus the Pareto front as a line. */
export function paretoChart(id: string, title: string, xLabel: string, yLabel: string, points: readonly LabelledPoint[]): ChartSpec {
  const datasets: Record<string, unknown>[] = points.map((p, i) => ({
    label: p.label,
    data: [{ x: p.x, y: p.y }],
    backgroundColor: seriesColour(i),
    borderColor: seriesColour(i),
    pointRadius: 6,
  }));
  datasets.push({
    label: 'Pareto front',
    data: paretoFront(points).map((p) => ({ x: p.x, y: p.y })),
    showLine: true,
    borderColor: '#333333',
    borderDash: [4, 4],
    pointRadius: 0,
    fill: false,
  });
  return { id, title, config: { type: 'scatter', data: { datasets }, options: titled(title, xLabel, yLabel) } };
}

/** A bar chart with one dataset per series over shared labels (null = missing bar). */
export function barChart(
  id: string,
  title: string,
  labels: readonly string[],
  series: readonly { readonly label: string; readonly values: readonly (number | null)[] }[],
  yLabel: string,
  xLabel = '',
): ChartSpec {
  const datasets = series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: seriesColour(i) }));
  return { id, title, config: { type: 'bar', data: { labels, datasets }, options: titled(title, xLabel, yLabel) } };
}

/** A line chart with one dataset per series over shared labels. */
export function lineChart(
  id: string,
  title: string,
  labels: readonly string[],
  series: readonly { readonly label: string; readonly values: readonly (number | null)[] }[],
  yLabel: string,
  xLabel = '',
): ChartSpec {
  const datasets = series.map((s, i) => ({
    label: s.label,
    data: s.values,
    borderColor: seriesColour(i),
    backgroundColor: seriesColour(i),
    fill: false,
    pointRadius: 4,
    spanGaps: true,
  }));
  return { id, title, config: { type: 'line', data: { labels, datasets }, options: titled(title, xLabel, yLabel) } };
}
