import { numCell } from '../document.js';
import { escapeHtml } from '../escape.js';
import { passingSize, type RunSummary, type SummaryCell, type SummaryHeatmap, type SummaryRow } from '../summary/index.js';
import { tableHtml } from './blocks.js';

/** Id of the summary block (the browser test measures it). */
export const SUMMARY_ID = 'summary';

const attr = (name: string, value: string | undefined): string => (value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`);

function cellHtml(c: SummaryCell): string {
  const classes = ['d', c.kind === 'abs' ? 'abs' : '', c.failedRules.length > 0 ? 'fail' : ''].filter(Boolean).join(' ');
  // Tones are generated hsl()/hex strings, never data; escaped anyway.
  const style = c.tone ? ` style="background:${escapeHtml(c.tone)}"` : '';
  const cross = c.failedRules.length > 0 ? '<span class="x">✕</span>' : '';
  const mark = c.mark === 'better' ? '<span class="m">▲</span>' : c.mark === 'worse' ? '<span class="m">▼</span>' : '';
  return `<td class="${classes}"${style}${attr('title', c.title)}>${cross}${escapeHtml(c.text)}${mark}</td>`;
}

function rowHtml(r: SummaryRow): string {
  const figure = (f: SummaryRow['size']): string => `<td class="fig"${attr('title', f.title)}>${escapeHtml(f.text)}</td>`;
  const name = `${r.variantId}${r.parent ? ` (vs ${r.parent})` : ' (compared with nothing)'}`;
  const fails = r.failedRules > 0 ? `<td class="fig fails">${r.failedRules}</td>` : '<td class="fig">0</td>';
  const none = { text: '', title: r.parent ? 'no savings recorded' : 'compared with nothing: no parent to save against' };
  const saves = [r.saves?.disk ?? none, r.saves?.memory ?? none, r.saves?.speed ?? none].map((f) => `<td class="fig saves"${attr('title', f.title)}>${escapeHtml(f.text)}</td>`).join('');
  return `<tr><th class="name" scope="row"${attr('title', name)}>${escapeHtml(r.shortId)}</th>${r.cells.map(cellHtml).join('')}${fails}${saves}${figure(r.size)}${figure(r.latency)}${figure(r.memory)}</tr>`;
}

/** The variant × suite heatmap: Δ vs parent, CI marks, failed-rule crosses, size/latency/memory columns. */
export function heatmapHtml(h: SummaryHeatmap): string {
  const width = h.suites.length + 8;
  const head = h.suites.map((s) => `<th class="suite"${attr('title', `${s.id}: ${s.metric}`)}>${escapeHtml(s.short)}</th>`).join('');
  const body = h.families.flatMap((f) => [
    `<tr class="family"><th colspan="${width}">${escapeHtml(f.model)}</th></tr>`,
    ...f.rows.map(rowHtml),
  ]);
  return `<div class="heat-wrap"><table class="heat" id="summary-heatmap"><thead><tr><th>variant</th>${head}<th title="failed gate rules of the variant">✕</th><th class="saves" title="saves vs parent: bytes on disk saved (−72% = 72% smaller)">disk saved</th><th class="saves" title="saves vs parent: peak RSS saved">RSS saved</th><th class="saves" title="saves vs parent: decode tokens/s over the parent's">decode ×</th><th>size</th><th title="decode p50 per token">decode</th><th title="peak RSS">memory</th></tr></thead><tbody>
${body.join('\n')}
</tbody></table></div>`;
}

function legendHtml(h: SummaryHeatmap): string {
  const swatch = (tone: string, label: string): string => `<span class="sw" style="background:${tone}"></span>${label}`;
  const key = h.suites.map((s) => `<strong>${escapeHtml(s.short)}</strong> ${escapeHtml(s.id)} (${escapeHtml(s.metric)})`).join(' · ');
  return `<p class="legend">Cells: Δ of the suite's primary metric vs the variant's parent (points for accuracies, % of the parent's value otherwise); grey italics: a model's own value. ${swatch('hsl(0, 65%, 57%)', 'worse')} ${swatch('hsl(120, 65%, 57%)', 'better')} (full at 10 points or 10%); ▼/▲ the paired 95% CI excludes 0 on the worse/better side; hover a cell for its minimum detectable effect (MDE, α 0.05, power 0.8: a smaller loss could go unseen); ✕ (outlined) a gate rule failed on that cell. Saves, against the parent: bytes on disk and peak RSS saved, decode tokens/s over the parent's (n/a for a simulated variant, whose weights are dequantized fp32); hover for bits per parameter and the 70B projection. Columns: ${key}.</p>`;
}

function passingHtml(s: RunSummary): string {
  if (s.passing.length === 0) return `<p class="muted">${s.verdict.text.startsWith('No gate') ? 'No gate verdict: nothing to rank.' : 'No variant passed every gate rule.'}</p>`;
  const rows = s.passing.map((p, i) => [
    numCell(String(i + 1), i + 1),
    p.variantId,
    numCell(passingSize(p), p.sizeBytes ?? Number.MAX_VALUE),
    numCell(p.decodeMs === undefined ? '—' : `${p.decodeMs.toFixed(2)} ms`, p.decodeMs ?? Number.MAX_VALUE),
  ]);
  return `<div class="passing-wrap">${tableHtml({ id: 'summary-passing', columns: ['#', 'variant', 'size', 'decode p50'], rows })}</div>`;
}

/** The report's first screen: verdict, heatmap, passing variants ranked by size (click a header to re-rank), the three largest losses. */
export function summaryHtml(s: RunSummary): string {
  const losses = s.losses.length === 0
    ? '<p class="muted">No loss whose 95% CI excludes 0.</p>'
    : `<ol class="losses">${s.losses.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ol>`;
  return `<section id="${SUMMARY_ID}" class="summary">
<p class="verdict ${s.verdict.tone}">${escapeHtml(s.verdict.text)}</p>
<div class="summary-grid">
<div class="main">
${heatmapHtml(s.heatmap)}
${legendHtml(s.heatmap)}
</div>
<div class="side">
<h3>Passing variants, smallest first (click a header to re-rank)</h3>
${passingHtml(s)}
<h3>Largest losses (ranked by the CI bound nearest 0)</h3>
${losses}
</div>
</div>
</section>`;
}
