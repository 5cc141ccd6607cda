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
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
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
`;

/** Draws every chart from the JSON block and makes `table.sortable` headers sort on click. */
export const PAGE_SCRIPT = `
(function () {
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  specs.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (canvas && window.Chart) new window.Chart(canvas.getContext('2d'), spec.config);
  });
  function key(row, col) {
    var cell = row.children[col];
    if (!cell) return '';
    var s = cell.getAttribute('data-sort');
    if (s !== null && s !== '' && !isNaN(Number(s))) return Number(s);
    return s !== null ? s : cell.textContent;
  }
  document.querySelectorAll('table.sortable th').forEach(function (th) {
    th.addEventListener('click', function () {
      var table = th.closest('table');
      var body = table.tBodies[0];
      var col = Number(th.getAttribute('data-col'));
      var dir = th.getAttribute('data-dir') === 'asc' ? 'desc' : 'asc';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-dir'); });
      th.setAttribute('data-dir', dir);
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, col), y = key(b, col);
        var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return dir === 'asc' ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
`;
