/**
 * The one Chart.js plugin of the report: error bars and bar hatching read from plain-JSON
 * dataset fields, so chart configs stay JSON (inlined into report.html and rendered to
 * PNG alike). {@link drawUncertainty} is self-contained: the page inlines its source text
 * (`drawUncertainty.toString()`), and reports/png.ts registers the same function.
 *
 * Dataset fields read:
 * - `errorBars`: one `[low, high]` (in the y axis's units) or `null` per data point;
 * - `hatch`: `'diagonal' | 'back-diagonal' | 'horizontal' | 'vertical'`, stripes over each bar
 *   (a series stays distinguishable in greyscale).
 */

/** An element as Chart.js lays it out: a point (x, y) or a vertical bar (x centre, y top, base, width). */
export interface LaidOutElement {
  readonly x: number;
  readonly y: number;
  readonly base?: number;
  readonly width?: number;
}

/** The parts of a Chart.js chart the plugin reads (structural, so tests can pass a stand-in). */
export interface UncertaintyChart {
  readonly ctx: {
    save(): void;
    restore(): void;
    beginPath(): void;
    moveTo(x: number, y: number): void;
    lineTo(x: number, y: number): void;
    stroke(): void;
    rect(x: number, y: number, w: number, h: number): void;
    clip(): void;
    strokeStyle: unknown;
    lineWidth: number;
    setLineDash(d: number[]): void;
  };
  readonly chartArea: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
  readonly scales: Record<string, { getPixelForValue(v: number): number }>;
  readonly data: { readonly datasets: readonly Record<string, unknown>[] };
  getDatasetMeta(i: number): { readonly yAxisID?: string; readonly data: readonly LaidOutElement[] };
  isDatasetVisible(i: number): boolean;
}

/**
 * Chart.js `afterDatasetsDraw` hook: draws each visible dataset's `errorBars` (a vertical
 * line with caps from low to high, in the dataset's border colour) and `hatch` stripes.
 * Must not reference anything outside its own body (its source is inlined into the page).
 */
export function drawUncertainty(chart: UncertaintyChart): void {
  const ctx = chart.ctx;
  const area = chart.chartArea;
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
  ctx.clip();
  chart.data.datasets.forEach(function (ds, i) {
    if (!chart.isDatasetVisible(i)) return;
    const meta = chart.getDatasetMeta(i);
    const yScale = chart.scales[meta.yAxisID || 'y'];
    const bars = Array.isArray(ds.errorBars) ? (ds.errorBars as unknown[]) : [];
    const hatch = typeof ds.hatch === 'string' ? ds.hatch : '';
    meta.data.forEach(function (el, j) {
      if (hatch && typeof el.base === 'number' && typeof el.width === 'number') {
        const left = el.x - el.width / 2;
        const top = Math.min(el.y, el.base);
        const height = Math.abs(el.base - el.y);
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, el.width, height);
        ctx.clip();
        ctx.strokeStyle = 'rgba(0,0,0,0.55)';
        ctx.lineWidth = 1;
        ctx.setLineDash([]);
        ctx.beginPath();
        for (let k = -height; k < el.width + height; k += 6) {
          if (hatch === 'horizontal') {
            ctx.moveTo(left, top + k);
            ctx.lineTo(left + el.width, top + k);
          } else if (hatch === 'vertical') {
            ctx.moveTo(left + k, top);
            ctx.lineTo(left + k, top + height);
          } else {
            const slope = hatch === 'back-diagonal' ? -1 : 1;
            ctx.moveTo(left + k, slope > 0 ? top + height : top);
            ctx.lineTo(left + k + height, slope > 0 ? top : top + height);
          }
        }
        ctx.stroke();
        ctx.restore();
      }
      const bar = bars[j];
      if (!yScale || !Array.isArray(bar) || typeof bar[0] !== 'number' || typeof bar[1] !== 'number') return;
      const low = yScale.getPixelForValue(bar[0]);
      const high = yScale.getPixelForValue(bar[1]);
      const cap = 4;
      ctx.strokeStyle = typeof ds.borderColor === 'string' ? ds.borderColor : '#333333';
      ctx.lineWidth = 1.5;
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.moveTo(el.x, low);
      ctx.lineTo(el.x, high);
      ctx.moveTo(el.x - cap, low);
      ctx.lineTo(el.x + cap, low);
      ctx.moveTo(el.x - cap, high);
      ctx.lineTo(el.x + cap, high);
      ctx.stroke();
    });
  });
  ctx.restore();
}

/** The plugin object to register with Chart.js (`Chart.register(uncertaintyPlugin)`). */
export const uncertaintyPlugin = { id: 'compbenchUncertainty', afterDatasetsDraw: drawUncertainty };

/** The plugin as page script source: registers {@link drawUncertainty} with the page's `window.Chart`. */
export function uncertaintyPluginSource(): string {
  return `if (window.Chart) window.Chart.register({ id: 'compbenchUncertainty', afterDatasetsDraw: ${drawUncertainty.toString()} });`;
}
