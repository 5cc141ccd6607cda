/**
 * Issue 24 item 3: a suite with two template variants. The bundled teacher (the parent)
 * is scored under each; the spread of its score across templates in run.json and in the
 * report HTML equals a recomputation from instances.jsonl, template lines stay out of
 * the cells, and the cache keeps templates apart. With --all-templates every variant's
 * Δ under each template equals the paired difference recomputed from the lines.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import type { RunRecord } from '../../../core/run-record.js';
import { readInstances } from '../../../reports/compare/load-run.js';
import { loadRun } from '../../../reports/load-run.js';
import { renderReport } from '../../../reports/render.js';
import { stableView } from '../../../runners/matrix/assemble.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { tempDir } from '../fixtures.js';
import { recordSchemaProblems, writeConfig } from './fixtures.js';

const test = suite('runners/matrix/templates');
const quiet = (): void => {};
const SUITE_ID = 'kc-templates';
const TEMPLATES = ['primary', 'no-instruction', 'reworded'];

/** 16 items of the bundled closed-book suite (every 19th: all relations and frequencies), with its template variants, as a suite of its own. */
function writeSuite(): string {
  const dir = join(tempDir('templates-suite'), SUITE_ID);
  mkdirSync(dir);
  const bundled = packagePath('suites', 'knowledge-closed');
  const spec = JSON.parse(readFileSync(join(bundled, 'suite.json'), 'utf8')) as Record<string, unknown>;
  assert.equal((spec.templateVariants as { id: string }[]).map((v) => v.id), TEMPLATES.slice(1), 'the bundled suite lists the two variants');
  writeFileSync(join(dir, 'data.jsonl'), readFileSync(join(bundled, 'data.jsonl'), 'utf8').split('\n').filter((_, i) => i % 19 === 0).slice(0, 16).join('\n') + '\n');
  writeFileSync(join(dir, 'suite.json'), JSON.stringify({ ...spec, id: SUITE_ID, role: 'other', description: '16 items' }));
  return dir;
}

interface Line { variantId: string; suiteId: string; instanceId: string; template?: string; state: string; scores?: Record<string, number> }

const linesOf = (outDir: string): Line[] => readFileSync(join(outDir, 'instances.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);

/** Mean `contains` of a variant's lines under a template, straight from instances.jsonl. */
function meanOf(lines: readonly Line[], variantId: string, template: string): { value: number; n: number } {
  const mine = lines.filter((l) => l.variantId === variantId && l.suiteId === SUITE_ID && (l.template ?? 'primary') === template && l.state === 'scored');
  return { value: mine.reduce((a, l) => a + l.scores!.contains, 0) / mine.length, n: mine.length };
}

/** Range and sample SD written out here, independently of core/stats. */
function spreadOf(values: readonly number[]): { range: number; sd: number } {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return { range: Math.max(...values) - Math.min(...values), sd: Math.sqrt(ss / (values.length - 1)) };
}

/** The data-sort values of a table row (the raw numbers behind the cells), by its first cell. */
function rowNumbers(html: string, tableId: string, firstCell: string): number[] {
  const table = html.slice(html.indexOf(`id="${tableId}"`));
  const body = table.slice(0, table.indexOf('</table>'));
  const row = body.split('<tr>').find((r) => r.startsWith(`<td>${firstCell}</td>`));
  assert.ok(row, `row ${firstCell} in ${tableId}`);
  return [...row!.matchAll(/data-sort="([^"]+)"/gu)].map((m) => Number(m[1]));
}

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

function config(suiteDir: string, cacheDir: string): string {
  return writeConfig({
    models: [{ id: 'teacher', dir: packagePath('datasets', 'models', 'teacher') }],
    methods: [{ method: 'rtn', bits: 2, group: 32 }],
    suites: [suiteDir],
    seed: 3,
    measurement: { enabled: false },
    execution: { workers: 1, shardSize: 8 },
    cacheDir,
  });
}

// One cache for both tests: the second reuses the compressed variant and the parent's cells.
const cacheDir = tempDir('templates-cache');

test('the parent is scored under each template; its spread in run.json and report.html equals instances.jsonl; nothing mixes into the cells; the cache keeps templates apart', async () => {
  const suiteDir = writeSuite();
  const outDir = tempDir('templates-out');
  const { record } = await runMatrix({ configFile: config(suiteDir, cacheDir), outDir }, quiet);
  assert.is(record.complete, true);
  assert.equal(recordSchemaProblems(record), []);
  const onDisk = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')) as RunRecord;
  const lines = linesOf(outDir);
  const variant = 'teacher/rtn-w2-g32';

  // Lines: the parent under every template (non-primary ones say which), the variant under the primary only.
  for (const t of TEMPLATES) assert.is(meanOf(lines, 'teacher', t).n, 16, `teacher @${t}`);
  assert.ok(lines.filter((l) => l.variantId === variant).every((l) => l.template === undefined));
  assert.is(lines.filter((l) => l.template !== undefined).length, 32);
  // Cells and the gate see the primary template only: one cell per variant × suite, no template field.
  assert.is(onDisk.cells.length, 2);
  assert.ok(onDisk.cells.every((c) => !('template' in c)));
  const primaryCell = onDisk.cells.find((c) => c.variantId === 'teacher')!;
  close((primaryCell.state === 'ok' ? (primaryCell.aggregate.metrics as Record<string, { overall: { value: number } }>).contains.overall.value : NaN), meanOf(lines, 'teacher', 'primary').value, 'primary cell = primary lines');

  // The report and compare loaders read the primary template's lines only, as the cells do.
  assert.is(loadRun(outDir).instances.length, 32);
  assert.is(readInstances(join(outDir, 'instances.jsonl')).length, 32);

  // The spread, recomputed from instances.jsonl.
  const values = TEMPLATES.map((t) => meanOf(lines, 'teacher', t).value);
  const expected = spreadOf(values);
  const sens = onDisk.templateSensitivity!;
  assert.is(sens.allTemplates, false);
  assert.equal(sens.suites.map((s) => [s.suiteId, s.templates.map((t) => t.id)]), [[SUITE_ID, TEMPLATES]]);
  assert.equal([...new Set(sens.spreads.map((s) => s.variantId))], ['teacher'], 'only the parent has a spread by default');
  const spread = sens.spreads.find((s) => s.variantId === 'teacher' && s.metric === 'contains')!.spread;
  TEMPLATES.forEach((t, i) => {
    assert.is(spread.scores[i].template, t);
    close(spread.scores[i].value!, values[i], `run.json @${t}`);
    assert.is(spread.scores[i].n, 16);
  });
  close(spread.range!, expected.range, 'run.json range');
  close(spread.sd!, expected.sd, 'run.json SD');

  // report.html: the spread table's raw numbers, and the parent's spread beside the variant's Δ.
  const report = tempDir('templates-report');
  await renderReport(outDir, { outDir: report, pngs: false, historyDb: join(report, 'none.sqlite'), changeLogDir: join(report, 'log') });
  const html = readFileSync(join(report, 'report.html'), 'utf8');
  const shown = rowNumbers(html, `template-spread-${SUITE_ID}`, 'teacher');
  assert.is(shown.length, 5);
  values.forEach((v, i) => close(shown[i], v, `report @${TEMPLATES[i]}`));
  close(shown[3], expected.range, 'report range');
  close(shown[4], expected.sd, 'report SD');
  const beside = rowNumbers(html, `template-delta-${SUITE_ID}`, variant);
  const variantMean = meanOf(lines, variant, 'primary').value;
  close(beside[0], variantMean - values[0], 'report Δ');
  close(beside[1], expected.range, 'report parent range');
  close(beside[2], expected.sd, 'report parent SD');
  assert.match(html, /across prompt templates: range /u, 'the summary heatmap tooltip names the spread');

  // The cache: a file per template for the parent, and a rerun reuses every instance with the same spread.
  const files = readdirSync(join(cacheDir, 'results'), { recursive: true }).map(String).filter((f) => f.endsWith('.jsonl'));
  assert.is(files.length, 4, files.join(', '));
  const again = await runMatrix({ configFile: config(suiteDir, cacheDir), outDir: tempDir('templates-again') }, quiet);
  assert.is(again.computedInstances, 0);
  const stable = (r: RunRecord): unknown => (stableView(r as unknown as Record<string, unknown>) as { templateSensitivity: unknown }).templateSensitivity;
  assert.equal(stable(again.record), stable(onDisk));
});

test('--all-templates: every variant under every template, each Δ against the parent under the same template', async () => {
  const suiteDir = writeSuite();
  const outDir = tempDir('templates-all');
  const { record } = await runMatrix({ configFile: config(suiteDir, cacheDir), outDir, allTemplates: true }, quiet);
  assert.equal(recordSchemaProblems(record), []);
  const lines = linesOf(outDir);
  const variant = 'teacher/rtn-w2-g32';
  const sens = record.templateSensitivity!;
  assert.is(sens.allTemplates, true);
  assert.is(record.cells.length, 2);
  for (const t of TEMPLATES.slice(1)) {
    const cell = sens.cells.find((c) => c.variantId === variant && c.template === t);
    assert.ok(cell?.state === 'ok' && cell.vsBaseline, `${variant} @${t}`);
    const delta = (cell.vsBaseline as { metrics: Record<string, { delta: { delta: number; n: number } }> }).metrics.contains.delta;
    close(delta.delta, meanOf(lines, variant, t).value - meanOf(lines, 'teacher', t).value, `Δ @${t}`);
    assert.is(delta.n, 16);
  }
  const own = sens.spreads.find((s) => s.variantId === variant && s.metric === 'contains')!.spread;
  TEMPLATES.forEach((t, i) => close(own.scores[i].value!, meanOf(lines, variant, t).value, `${variant} @${t}`));
});

test.run();
