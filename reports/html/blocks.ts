import type { Block, Section, Table, TableCell } from '../document.js';
import { escapeHtml } from '../escape.js';

/** Renders a table with sortable headers (the page script sorts on click). */
export function tableHtml(t: Table): string {
  const head = t.columns.map((c, i) => `<th data-col="${i}" title="click to sort">${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((row) => `<tr>${row.map(cellHtml).join('')}</tr>`).join('\n');
  const caption = t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : '';
  return `<table class="sortable" id="${escapeHtml(t.id)}"${t.filterable ? ' data-filterable=""' : ''}>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function cellHtml(c: TableCell | string): string {
  if (typeof c === 'string') return `<td>${escapeHtml(c)}</td>`;
  const sort = c.sort === undefined ? '' : ` data-sort="${escapeHtml(c.sort)}"`;
  const style = c.tone ? ` style="background:${escapeHtml(c.tone)}"` : '';
  return `<td${sort}${style}>${escapeHtml(c.text)}</td>`;
}

/** Renders one block; charts become a fixed-size canvas the page script draws into. */
export function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'table':
      return tableHtml(b.table);
    case 'chart':
      return `<figure><canvas id="${escapeHtml(b.chartId)}" class="chart" width="720" height="360" role="img" aria-label="${escapeHtml(b.title)}"></canvas><figcaption>${escapeHtml(b.title)}</figcaption></figure>`;
    case 'code':
      return `<pre>${escapeHtml(b.text)}</pre>`;
  }
}

/** Renders a section with its id; `collapsed`: inside a `<details>` closed on load, the title as its summary. */
export function sectionHtml(s: Section, collapsed = false): string {
  const body = s.blocks.map(blockHtml).join('\n');
  if (!collapsed) return `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.title)}</h2>\n${body}\n</section>`;
  return `<section id="${escapeHtml(s.id)}"><details>\n<summary><h2>${escapeHtml(s.title)}</h2></summary>\n${body}\n</details></section>`;
}
