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
const POINT_STYLES = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded'] as const;
const DASHES: readonly (readonly number[])[] = [[], [6, 3], [2, 3], [10, 3, 2, 3]];
const HATCHES = ['', 'diagonal', 'back-diagonal', 'horizontal', 'vertical'] as const;

/** A fixed colour per series index. */
export function seriesColour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/**
 * What tells series `i` apart besides its hue, so a chart reads in greyscale: a point
 * style (8), a line dash (4, changing every 8 series: 32 distinct) and a bar hatch (5).
 */
export function seriesStyle(i: number): { colour: string; pointStyle: string; borderDash: number[]; hatch: string } {
  return {
    colour: seriesColour(i),
    pointStyle: POINT_STYLES[i % POINT_STYLES.length],
    borderDash: [...DASHES[Math.floor(i / POINT_STYLES.length) % DASHES.length]],
    hatch: HATCHES[i % HATCHES.length],
  };
}

/** A 95% interval of a plotted value, in the chart's units, or null where there is none. */
export type ErrorBar = readonly [number, number] | null;

/** A summary's 95% interval scaled for a chart (`scale` 100 plots a share as %), or null where the summary has none. */
export function summaryErrorBar(s: { readonly low: number | null; readonly high: number | null } | null | undefined, scale = 1): ErrorBar {
  return s == null || s.low === null || s.high === null ? null : [s.low * scale, s.high * scale];
}

/** The y range that keeps every error bar inside the axes (Chart.js scales to the data only). */
export function errorBarRange(bars: readonly ErrorBar[]): { suggestedMin?: number; suggestedMax?: number } {
  const ends = bars.flatMap((b) => (b === null ? [] : [...b])).filter(Number.isFinite);
  return ends.length === 0 ? {} : { suggestedMin: Math.min(...ends), suggestedMax: Math.max(...ends) };
}

const BASE_OPTIONS = { animation: false, responsive: false, devicePixelRatio: 1 };

function titled(title: string, x: string, y: string, extra: { x?: object; y?: object } = {}): Record<string, unknown> {
  return {
    ...BASE_OPTIONS,
    plugins: { title: { display: true, text: title }, legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 10 } } },
    scales: { x: { title: { display: true, text: x }, ...extra.x }, y: { title: { display: true, text: y }, ...extra.y } },
  };
}

/** A point of a scatter chart, labelled by its variant. */
export interface LabelledPoint {
  readonly label: string;
  readonly x: number;
  readonly y: number;
  /** The 95% interval of y (drawn as an error bar). */
  readonly yCi?: ErrorBar;
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

/** A scatter of accuracy against a cost, one dataset per variant (with its y error bar) plus the Pareto front as a line. */
export function paretoChart(id: string, title: string, xLabel: string, yLabel: string, points: readonly LabelledPoint[]): ChartSpec {
  const datasets: Record<string, unknown>[] = points.map((p, i) => {
    const style = seriesStyle(i);
    return {
      label: p.label,
      data: [{ x: p.x, y: p.y }],
      errorBars: [p.yCi ?? null],
      backgroundColor: style.colour,
      borderColor: style.colour,
      pointStyle: style.pointStyle,
      pointRadius: 6,
    };
  });
  datasets.push({
    label: 'Pareto front',
    data: paretoFront(points).map((p) => ({ x: p.x, y: p.y })),
    showLine: true,
    borderColor: '#333333',
    borderDash: [4, 4],
    pointRadius: 0,
    fill: false,
  });
  const range = errorBarRange(points.map((p) => p.yCi ?? null));
  return { id, title, config: { type: 'scatter', data: { datasets }, options: titled(title, xLabel, yLabel, { y: range }) } };
}

/** One series of a bar or line chart: a value per label (null = missing) and, optionally, its 95% interval. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly ci?: readonly ErrorBar[];
}

/** A bar chart with one dataset per series over shared labels (null = missing bar), hatched and with error bars where the series has CIs. */
export function barChart(id: string, title: string, labels: readonly string[], series: readonly ChartSeries[], yLabel: string, xLabel = ''): ChartSpec {
  const datasets = series.map((s, i) => {
    const style = seriesStyle(i);
    return { label: s.label, data: s.values, backgroundColor: style.colour, borderColor: '#333333', borderWidth: 1, hatch: style.hatch, ...(s.ci ? { errorBars: s.ci } : {}) };
  });
  const range = errorBarRange(series.flatMap((s) => s.ci ?? []));
  return { id, title, config: { type: 'bar', data: { labels, datasets }, options: titled(title, xLabel, yLabel, { y: range }) } };
}

/**
 * A line chart with one dataset per series over shared labels, each with its own point
 * style and dash pattern, and error bars where the series has CIs. `showLine: false`
 * plots points only (series whose labels are categories, not a progression).
 */
export function lineChart(id: string, title: string, labels: readonly string[], series: readonly ChartSeries[], yLabel: string, xLabel = '', showLine = true): ChartSpec {
  const datasets = series.map((s, i) => {
    const style = seriesStyle(i);
    return {
      label: s.label,
      data: s.values,
      borderColor: style.colour,
      backgroundColor: style.colour,
      pointStyle: style.pointStyle,
      borderDash: style.borderDash,
      fill: false,
      pointRadius: 4,
      spanGaps: true,
      showLine,
      ...(s.ci ? { errorBars: s.ci } : {}),
    };
  });
  const range = errorBarRange(series.flatMap((s) => s.ci ?? []));
  // Points only: `offset` keeps the first and last category off the axes' edges.
  return { id, title, config: { type: 'line', data: { labels, datasets }, options: titled(title, xLabel, yLabel, { y: range, ...(showLine ? {} : { x: { offset: true } }) }) } };
}
