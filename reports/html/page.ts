import type { ChartSpec } from '../charts.js';
import type { Section } from '../document.js';
import { escapeHtml, jsonForScript } from '../escape.js';
import { chartJsSource, PAGE_CSS } from './assets.js';
import { sectionHtml } from './blocks.js';
import { pageScript } from './script.js';

/**
 * The content security policy of the page: inline script and style only, images from
 * data: URLs, nothing fetched, so the report cannot reach the network even if opened online.
 */
export const PAGE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/** Id of the filter box over gate rules and example items. */
export const FILTER_ID = 'report-filter';

/** Settings of {@link pageHtml}. */
export interface PageOptions {
  /**
   * Rendered HTML of a summary shown first (reports/html/summary.ts, every string escaped
   * there); when present, the subtitle, contents, a filter box and the sections follow it,
   * each section collapsed.
   */
  readonly summaryHtml?: string;
}

/** One self-contained HTML page: sections, a contents list, and (when there are charts) Chart.js and the charts' JSON inlined. */
export function pageHtml(title: string, subtitle: string, sections: readonly Section[], charts: readonly ChartSpec[], options: PageOptions = {}): string {
  const nav = sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('\n');
  const chartData = charts.map((c) => ({ id: c.id, config: c.config }));
  const collapsed = options.summaryHtml !== undefined;
  const head = collapsed
    ? `${options.summaryHtml}
<p class="muted">${escapeHtml(subtitle)}</p>
<nav>${nav}</nav>
<div class="filter"><label>Filter gate rules and example items: <input type="search" id="${FILTER_ID}" placeholder="variant, suite, rule, word…" autocomplete="off"></label> <span id="${FILTER_ID}-count" class="muted"></span></div>`
    : `<p>${escapeHtml(subtitle)}</p>
<nav>${nav}</nav>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${head}
${sections.map((s) => sectionHtml(s, collapsed)).join('\n')}
<script type="application/json" id="chart-data">${jsonForScript(chartData)}</script>
${charts.length > 0 ? `<script>${chartJsSource()}</script>\n` : ''}<script>${pageScript()}</script>
</body>
</html>
`;
}
