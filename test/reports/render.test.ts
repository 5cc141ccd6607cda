import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath, sharedExternalDir } from '../../core/paths.js';
import { runMatrix } from '../../runners/matrix/index.js';
import { chartJsSource } from '../../reports/html/assets.js';
import { REPORT_SECTION_IDS, renderReport } from '../../reports/render.js';
import { INJECTIONS, writeFixtureRun } from './fixtures.js';
import { renderFixture } from './helpers.js';

const test = suite('reports/render');

test('renders report.html, charts, results.csv and a change record per compressed variant', async () => {
  const { root, result } = await renderFixture({ pngs: true });
  const names = result.files.map((f) => f.slice(result.outDir.length + 1)).sort();
  for (const expected of ['report.html', 'results.csv', 'charts/pareto-size.png', 'charts/pareto-latency.png', 'charts/pareto-energy.png', 'charts/chart-knowledge.png', 'charts/chart-rare-words.png', 'charts/chart-fairness-fairness.png', 'changes/teacher_rtn-w4-g128.md', 'changes/teacher_rtn-w3-g128.html', 'changes/teacher_gptq-w4-g128.md']) {
    assert.ok(names.includes(expected), `missing ${expected} in ${names.join(', ')}`);
  }
  assert.not.ok(names.some((n) => n.startsWith('changes/teacher.') || n.startsWith('changes/student.')), 'uncompressed variants get no change record');
  const png = readFileSync(join(result.outDir, 'charts', 'pareto-size.png'));
  assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  rmSync(root, { recursive: true, force: true });
});

test('report.html is self-contained: sections in order, Chart.js inlined, no external reference', async () => {
  const { root, result } = await renderFixture();
  const html = readFileSync(join(result.outDir, 'report.html'), 'utf8');
  let last = -1;
  for (const id of REPORT_SECTION_IDS) {
    const at = html.indexOf(`<section id="${id}">`);
    assert.ok(at > last, `section ${id} missing or out of order`);
    last = at;
  }
  assert.ok(html.includes(chartJsSource().slice(0, 200)));
  const outside = html.replace(chartJsSource(), '');
  assert.not.match(outside, /\b(src|href)="(?!#)/u, 'no src/href other than in-page anchors');
  assert.not.match(outside, /url\(|@import/u, 'no CSS fetch');
  assert.ok(html.includes('perplexity hides this loss'));
  assert.ok(html.includes('n/a (simulated)'));
  rmSync(root, { recursive: true, force: true });
});

test('model output and data are escaped in HTML and Markdown', async () => {
  const { root, result } = await renderFixture();
  const html = readFileSync(join(result.outDir, 'report.html'), 'utf8').replace(chartJsSource(), '');
  assert.is((html.match(/<script/gu) ?? []).length, 3, 'only the page\'s own three script elements');
  assert.not.ok(html.includes('<script>alert(1)</script>'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.not.ok(html.includes('</textarea>'));
  assert.not.ok(html.includes('<img'));
  assert.not.ok(html.includes('<b>'), 'prompts and errors containing <b> are escaped');
  assert.ok(html.includes('&quot;; DROP TABLE runs; --'));
  assert.ok(html.includes('=HYPERLINK(&quot;http://evil.example&quot;'));
  const md = readFileSync(join(result.outDir, 'changes', 'teacher_rtn-w3-g128.md'), 'utf8');
  assert.ok(md.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the items-lost table carries the payload as text');
  assert.not.ok(md.includes('<script'));
  assert.not.ok(md.includes('<b>'));
  assert.not.match(md.replace(/<br>/gu, ''), /<[a-z/!]/iu, 'no raw HTML tag in the Markdown');
  // Every table row of the Markdown keeps its column count: no payload breaks a table.
  for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
    const widths = block.split('\n').filter((line) => line !== '').map((line) => line.replace(/\\\|/gu, '').split('|').length);
    assert.ok(widths.every((w) => w === widths[0]), `ragged table:\n${block.slice(0, 300)}`);
  }
  assert.ok(INJECTIONS.length >= 8);
  rmSync(root, { recursive: true, force: true });
});

test('--baseline-run adds the earlier run beside this one and continues its change log', async () => {
  const { root, runDir } = await renderFixture();
  const elsewhere = join(root, 'nightly', 'run2');
  writeFixtureRun(elsewhere, { runId: 'fixture-run-2' });
  const result = await renderReport(elsewhere, { baselineRunDir: runDir, pngs: false });
  const html = readFileSync(join(result.outDir, 'report.html'), 'utf8');
  assert.ok(html.includes('<section id="previous-run">') && html.includes('Earlier run: fixture-run-1'));
  assert.is(readFileSync(join(root, 'runs', 'changes-log', 'teacher.jsonl'), 'utf8').trim().split('\n').length, 6);
  assert.not.ok(existsSync(join(root, 'nightly', 'changes-log')));
  rmSync(root, { recursive: true, force: true });
});

test('render time of the example report (stories260k × 2, --limit 5; printed, not asserted)', async () => {
  const shared = sharedExternalDir();
  if (!shared) {
    console.log('SKIP reports/render example render time: ../shared/external not found');
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'compbench-example-'));
  const runDir = join(root, 'runs', 'example');
  const model = join(shared, 'stories260k');
  const suiteDirs = readdirSync(packagePath('suites'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(packagePath('suites', d.name, 'suite.json')))
    .map((d) => packagePath('suites', d.name));
  mkdirSync(runDir, { recursive: true });
  const configFile = join(root, 'config.json');
  writeFileSync(configFile, JSON.stringify({ models: [{ id: 'a', dir: model }, { id: 'b', dir: model }], baseline: 'a', methods: [], suites: suiteDirs, limit: 5, seed: 1234, measurement: { enabled: false }, execution: { workers: 1 } }));
  const { record } = await runMatrix({ configFile, outDir: runDir, resume: false, cacheDir: join(root, 'cache') }, () => {});
  const result = await renderReport(runDir);
  console.log(`render time of the example report (stories260k ×2, ${record.suites.length} suites, --limit 5): ${result.durationMs.toFixed(0)} ms, ${result.files.length} files`);
  assert.ok(existsSync(join(runDir, 'report', 'report.html')));
  rmSync(root, { recursive: true, force: true });
});

test.run();
