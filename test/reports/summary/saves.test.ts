import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CellRecord, GenerationLengthRecord, RunRecord } from '../../../core/run-record.js';
import { runSavings } from '../../../core/savings.js';
import { efficiencySection } from '../../../reports/change/sections-results.js';
import type { ChangeContext } from '../../../reports/change/context.js';
import { sectionHtml } from '../../../reports/html/blocks.js';
import { summaryHtml } from '../../../reports/html/summary.js';
import { blockMarkdown } from '../../../reports/markdown.js';
import { generationLengthsSection } from '../../../reports/sections/generation-lengths.js';
import { savingsSection } from '../../../reports/sections/savings.js';
import { runSummary, savedPercent, summaryHeatmap } from '../../../reports/summary/index.js';
import { handRecord, measured, v } from './record.js';

const test = suite('reports/summary/saves');

// A parent id with markup: every place it reaches must escape it.
const P = '<m>&';

/** Parent 4 MB at 10 ms/token; w4 1 MB at 4 ms/token (2.5× tokens/s); w3 simulated. measured() sets peak RSS = 3 × size. */
function savingsRecord(): RunRecord {
  const variants = [v(P), v(`${P}/w4`, P), v(`${P}/w3`, P, { executionForm: 'simulated' })];
  const measurements = [measured(P, 4_000_000, 10), measured(`${P}/w4`, 1_000_000, 4), { state: 'not-applicable' as const, variantId: `${P}/w3`, sizeBytes: 4_000_000, reason: 'n/a (simulated): dequantized' }];
  const record = handRecord(variants, ['qa'], [], [], measurements);
  return { ...record, savings: runSavings(variants, measurements, { usdPerHour: 3.6 }) };
}

test('saves columns: disk and RSS saved and decode speedup vs the parent; n/a for a simulated variant; none for the parent', () => {
  const rows = summaryHeatmap(savingsRecord()).families[0].rows;
  const [parent, w4, w3] = rows;
  assert.is(parent.saves, undefined);
  assert.equal([w4.saves!.disk.text, w4.saves!.memory.text, w4.saves!.speed.text], ['−75%', '−75%', '2.50×']);
  assert.is(w4.saves!.disk.title, `bytes on disk 1.00 MB vs 4.00 MB of ${P}`);
  assert.equal([w3.saves!.disk.text, w3.saves!.disk.title], ['n/a', 'n/a (simulated): its weights are dequantized fp32, nothing is saved at run time']);
  assert.equal([savedPercent(0.754), savedPercent(-0.2), savedPercent(0.001)], ['−75%', '+20%', '0%']);
});

test('the summary HTML has the saves headers and escapes what reaches a title', () => {
  const html = summaryHtml(runSummary(savingsRecord()));
  assert.match(html, '<th class="saves" title="saves vs parent: bytes on disk saved (−72% = 72% smaller)">disk saved</th>');
  assert.match(html, '>−75%</td>');
  assert.not.match(html, '<m>&');
  assert.match(html, "of &lt;m&gt;&amp;");
});

test('savings section and change record §8: every figure in a table; cost with its formula', () => {
  const record = savingsRecord();
  const section = savingsSection({ record, instances: [] }).section;
  const md = section.blocks.map(blockMarkdown).join('\n');
  assert.match(md, 'usdPerHour / 3600 / decode tokens per second × 1e6');
  assert.match(md, 'E\\_N the embedding + head parameters');
  // $3.60/h at 250 tokens/s: 1e6 tokens take 4000 s at $0.001/s.
  assert.match(md, /4\.0000 vs \\?\$10\.0000/);
  assert.match(md, 'n/a (simulated)');
  assert.not.match(sectionHtml(section), '<m>&');
  const w4 = record.variants[1];
  const eff = efficiencySection({ record, variant: w4, baseline: record.variants[0] } as unknown as ChangeContext);
  const effMd = eff.blocks.map(blockMarkdown).join('\n');
  assert.match(effMd, 'bytes on disk');
  assert.match(effMd, 'decode tokens/s');
  assert.match(effMd, '2.50×');
});

test('generation lengths section: median and p95 against the parent, hit-limit share, endings', () => {
  const g = (median: number, p95: number, hit: number): GenerationLengthRecord => ({ n: 20, meanTokens: median, medianTokens: median, p95Tokens: p95, maxTokens: p95, hitLimit: hit, hitLimitRate: hit / 20, finishReasons: { eos: 20 - hit, length: hit }, errored: 0, unrecorded: 0 });
  const base = handRecord([v('m'), v('m/w2', 'm')], ['qa'], []);
  const cells = base.cells.map((c): CellRecord => (c.state === 'ok' ? { ...c, generation: c.variantId === 'm' ? g(6, 10, 1) : g(12, 30, 5) } : c));
  const md = generationLengthsSection({ record: { ...base, cells }, instances: [] }).section.blocks.map(blockMarkdown).join('\n');
  assert.match(md, '12 (6)');
  assert.match(md, '2.00×');
  assert.match(md, '3.00×');
  assert.match(md, '25.0% (5.0%)');
  assert.match(md, 'eos 15, length 5');
});

test.run();
