import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InfraError } from '../../core/errors.js';

let chartJs: string | undefined;

/**
 * Chart.js's UMD build (`chart.js/dist/chart.umd.js`), read once, to inline into the
 * page so it opens offline. The package's exports hide the subpath, so it is found
 * beside the resolved main file. The source-map comment is dropped (nothing to fetch).
 */
export function chartJsSource(): string {
  if (chartJs !== undefined) return chartJs;
  const file = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InfraError(`cannot read ${file} to inline Chart.js into report.html; reinstall the chart.js package`, { cause: e });
  }
  chartJs = text.replace(/\/\/# sourceMappingURL=\S+\s*$/u, '').replace(/<\/script/giu, '<\\/script');
  return chartJs;
}

/** The page's style sheet. */
export const PAGE_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: .5em auto 2em; max-width: 1380px; padding: 0 .8em; color: #222; }
h1 { font-size: 1.25em; margin: .2em 0 .3em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
details > summary { cursor: pointer; list-style-position: outside; margin-left: 1.2em; } details > summary h2 { display: inline-block; margin: .5em 0 .2em; border: 0; font-size: 1.2em; }
section > details { border-bottom: 1px solid #ddd; }
.filter { position: sticky; top: 0; background: #fff; padding: .4em 0; z-index: 1; } .filter input { width: 28em; font: inherit; padding: .2em .4em; }
.muted { color: #666; }
nav a { margin-right: 1em; }
table { border-collapse: collapse; margin: .8em 0; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: .3em 0; }
th, td { border: 1px solid #ccc; padding: .25em .5em; vertical-align: top; text-align: left; }
th { background: #f3f3f3; cursor: pointer; user-select: none; }
th[data-dir="asc"]::after { content: " ▲"; } th[data-dir="desc"]::after { content: " ▼"; }
td { white-space: pre-wrap; word-break: break-word; max-width: 28em; }
p.ok { background: #e3f6e3; padding: .4em; } p.warn { background: #fff4d6; padding: .4em; } p.bad { background: #fbe0e0; padding: .4em; font-weight: 600; }
pre { background: #f7f7f7; padding: .6em; overflow-x: auto; }
figure { margin: 1em 0; } canvas.chart { border: 1px solid #eee; }
.summary p.verdict { margin: 0 0 .4em; font-size: 15px; }
.summary-grid { display: grid; grid-template-columns: minmax(0, auto) minmax(300px, 1fr); gap: 14px; align-items: start; }
.heat-wrap { overflow: auto; max-width: 100%; max-height: 760px; } .summary .main { min-width: 0; }
table.heat { font-size: 11.5px; margin: 0; } table.heat th, table.heat td { padding: 0 4px; line-height: 15px; white-space: nowrap; max-width: none; word-break: normal; cursor: default; }
table.heat td.d { text-align: right; min-width: 3.3em; } table.heat td.abs { color: #555; font-style: italic; }
table.heat td.fail { outline: 2px solid #8b0000; outline-offset: -2px; font-weight: 600; } table.heat .x { margin-right: 2px; } table.heat .m { margin-left: 1px; font-size: 9px; }
table.heat th.name { max-width: 13em; overflow: hidden; text-overflow: ellipsis; text-align: left; font-weight: normal; background: #fafafa; }
table.heat tr.family th { background: #e6e6e6; font-weight: 600; } table.heat td.fig { text-align: right; color: #333; } table.heat td.fails { font-weight: 700; color: #8b0000; }
.side h3 { font-size: 13px; margin: 0 0 .3em; } .side ol.losses { margin: .2em 0 .6em; padding-left: 1.4em; font-size: 12.5px; }
.side { min-width: 0; } .passing-wrap { max-height: 300px; overflow: auto; margin-bottom: .6em; } .passing-wrap table { margin: 0; font-size: 12px; }
.passing-wrap td, .passing-wrap th { padding: 0 .3em; white-space: nowrap; word-break: normal; max-width: 12em; overflow: hidden; text-overflow: ellipsis; }
p.legend { font-size: 11px; line-height: 1.3; color: #444; margin: .3em 0 0; } p.legend .sw { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 2px; border: 1px solid #888; vertical-align: middle; }
`;
