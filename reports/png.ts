import { join } from 'node:path';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { writeFileAtomic } from '../core/atomic-write.js';
import { uncertaintyPlugin } from './chart-plugins.js';
import { CHART_HEIGHT, CHART_WIDTH, type ChartSpec } from './charts.js';

type ChartConfiguration = Parameters<ChartJSNodeCanvas['renderToBuffer']>[0];

/** Renders each chart to `<dir>/<id>.png` (white background, the same size and error-bar plugin as in the page, written atomically under `--out`); returns the paths. */
export async function writeChartPngs(charts: readonly ChartSpec[], dir: string): Promise<string[]> {
  if (charts.length === 0) return [];
  const canvas = new ChartJSNodeCanvas({ width: CHART_WIDTH, height: CHART_HEIGHT, backgroundColour: 'white', plugins: { modern: [uncertaintyPlugin as never] } });
  const files: string[] = [];
  for (const chart of charts) {
    // The configs are plain JSON built for Chart.js 4; structuredClone keeps Chart.js from mutating the shared spec.
    const buffer = await canvas.renderToBuffer(structuredClone(chart.config) as unknown as ChartConfiguration);
    const file = join(dir, `${chart.id}.png`);
    writeFileAtomic(file, buffer, { flag: '--out' });
    files.push(file);
  }
  return files;
}
