import type { ChartSpec } from '../charts.js';
import type { Section } from '../document.js';
import { escapeHtml, jsonForScript } from '../escape.js';
import { chartJsSource, PAGE_CSS, PAGE_SCRIPT } from './assets.js';
import { sectionHtml } from './blocks.js';

/**
 * The content security policy of the page: inline script and style only, images from
 * data: URLs, nothing fetched, so the report cannot reach the network even if opened online.
 */
export const PAGE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/** One self-contained HTML page: sections, a contents list, and (when there are charts) Chart.js and the charts' JSON inlined. */
export function pageHtml(title: string, subtitle: string, sections: readonly Section[], charts: readonly ChartSpec[]): string {
  const nav = sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('\n');
  const chartData = charts.map((c) => ({ id: c.id, config: c.config }));
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
<p>${escapeHtml(subtitle)}</p>
<nav>${nav}</nav>
${sections.map(sectionHtml).join('\n')}
<script type="application/json" id="chart-data">${jsonForScript(chartData)}</script>
${charts.length > 0 ? `<script>${chartJsSource()}</script>\n` : ''}<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
