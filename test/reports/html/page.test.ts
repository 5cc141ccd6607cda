import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REPORT_SECTION_IDS } from '../../../reports/render.js';
import { renderFixture } from '../helpers.js';

const test = suite('reports/html/page (headless Chromium)');

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** A page at the given viewport that records console errors, requests and dialogs (dismissed). */
async function watchedPage(browser: Browser, width: number, height: number): Promise<{ page: Page; errors: string[]; requests: string[]; dialogs: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, errors, requests, dialogs };
}

test('report.html opens from disk with no console error, no network request, drawn charts and every section', async () => {
  if (!existsSync(CHROMIUM)) {
    console.log(`SKIP reports/html/page browser test: ${CHROMIUM} not found`);
    return;
  }
  const { root, result } = await renderFixture();
  const file = join(result.outDir, 'report.html');
  const url = pathToFileURL(file).href;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const { page, errors, requests, dialogs } = await watchedPage(browser, 1280, 900);
    await page.goto(url, { waitUntil: 'load' });
    assert.equal(errors, [], `console errors: ${errors.join('; ')}`);
    assert.equal(requests, [url], `requests other than the file itself: ${requests.join(', ')}`);
    assert.equal(dialogs, [], 'no injected script ran');
    for (const id of REPORT_SECTION_IDS) assert.is(await page.locator(`section#${id}`).count(), 1, `section ${id}`);
    assert.is(await page.locator('details[open]').count(), 0, 'every section collapsed on load');
    // A contents link opens its section; then open the rest (charts are drawn when shown).
    await page.locator('nav a[href="#pareto"]').click();
    assert.is(await page.locator('section#pareto details[open]').count(), 1, 'the contents link opened its section');
    await page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true; })`);
    await page.waitForFunction(`[...document.querySelectorAll('canvas')].every((c) => c.hasAttribute('data-drawn'))`);
    // Evaluated in the page (a string, so this Node-typed file needs no DOM types).
    const canvases = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let drawn = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) drawn++;
      return { id: c.id, drawn };
    })`)) as { id: string; drawn: number }[];
    assert.ok(canvases.length >= 8, `charts: ${canvases.map((c) => c.id).join(', ')}`);
    for (const c of canvases) assert.ok(c.drawn > 1000, `canvas ${c.id} has ${c.drawn} drawn pixels`);
    // Model output is shown as text.
    const flipsText = await page.locator('#flips-examples').innerText();
    assert.ok(flipsText.includes('<script>alert(1)</script>'));
    assert.ok(flipsText.includes('=HYPERLINK("http://evil.example","click")'));
    // Sorting: clicking a numeric header orders the rows by their sort keys.
    await page.locator('#flips-counts th[data-col="3"]').click();
    const keys = await page.$$eval('#flips-counts tbody tr td:nth-child(4)', (tds) => tds.map((td) => Number(td.getAttribute('data-sort'))));
    assert.equal(keys, [...keys].sort((a, b) => a - b));
    const shots = mkdtempSync(join(tmpdir(), 'compbench-report-shot-'));
    const shot = join(shots, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`report screenshot: ${shot}`);
  } finally {
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('summary of a default-size run (32 variants × 10 suites) fits one 1400×900 screen; sections collapsed; the filter hides non-matching rules and items', async () => {
  if (!existsSync(CHROMIUM)) {
    console.log(`SKIP reports/html/page summary test: ${CHROMIUM} not found`);
    return;
  }
  const { root, record, result } = await renderFixture({ large: true });
  assert.is(record.variants.length, 32);
  assert.is(record.suites.length, 10);
  const url = pathToFileURL(join(result.outDir, 'report.html')).href;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const { page, errors, requests, dialogs } = await watchedPage(browser, 1400, 900);
    await page.goto(url, { waitUntil: 'load' });
    const box = (await page.evaluate(`(() => { const r = document.getElementById('summary').getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; })()`)) as { top: number; bottom: number; left: number; right: number };
    const page1 = (await page.evaluate(`({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, height: document.documentElement.scrollHeight })`)) as { scrollWidth: number; clientWidth: number; height: number };
    console.log(`summary box at 1400×900: top ${box.top.toFixed(0)}, bottom ${box.bottom.toFixed(0)}, left ${box.left.toFixed(0)}, right ${box.right.toFixed(0)}; page ${page1.height} px tall`);
    assert.ok(box.bottom <= 900, `summary bottom ${box.bottom} px > 900`);
    assert.ok(box.right <= 1400, `summary right ${box.right} px > 1400`);
    assert.ok(page1.scrollWidth <= page1.clientWidth, `horizontal overflow: ${page1.scrollWidth} > ${page1.clientWidth}`);
    assert.is(await page.locator('#summary-heatmap tbody tr:not(.family)').count(), 32, 'one heatmap row per variant');
    assert.is(await page.locator('details').count(), REPORT_SECTION_IDS.length);
    assert.is(await page.locator('details[open]').count(), 0, 'every <details> collapsed on load');
    // Variant ids are data: the one with markup is shown as text, never parsed.
    assert.is(await page.locator('#summary i').count(), 0);
    assert.ok((await page.locator('#summary-heatmap').innerText()).includes('rtn-<i>w3</i>&"g32"'));
    // The filter: rows of the gate's table and of the example items without the text are hidden.
    const needle = 'gguf-q6_k';
    await page.locator('#report-filter').fill('GGUF-Q6_K');
    const rows = (await page.evaluate(`[...document.querySelectorAll('table[data-filterable] tbody tr')].map((r) => ({ table: r.closest('table').id, hidden: r.hidden, text: r.textContent.toLowerCase() }))`)) as { table: string; hidden: boolean; text: string }[];
    for (const r of rows) assert.is(r.hidden, !r.text.includes(needle), `${r.table}: ${r.text.slice(0, 80)}`);
    const shown = rows.filter((r) => !r.hidden);
    assert.ok(shown.some((r) => r.table === 'gate-rules') && shown.some((r) => r.table === 'flips-examples'), 'matches in both tables');
    assert.ok(rows.some((r) => r.hidden && r.table === 'gate-rules') && rows.some((r) => r.hidden && r.table === 'flips-examples'), 'non-matching rows hidden in both tables');
    assert.ok(await page.locator('#gate-rules').isVisible(), 'the filter opened the section it filters');
    assert.ok(await page.locator('#gate-rules tbody tr:visible').first().isVisible());
    await page.locator('#report-filter').fill('');
    assert.is(await page.locator('table[data-filterable] tbody tr[hidden]').count(), 0, 'clearing the filter shows every row');
    assert.equal(errors, [], `console errors: ${errors.join('; ')}`);
    assert.equal(requests, [url], `requests other than the file itself: ${requests.join(', ')}`);
    assert.equal(dialogs, [], 'no injected script ran');
  } finally {
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
