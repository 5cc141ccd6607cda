import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REPORT_SECTION_IDS } from '../../../reports/render.js';
import { renderFixture } from '../helpers.js';

const test = suite('reports/html/page (headless Chromium)');

const CHROMIUM = '/usr/bin/chromium';

test('report.html opens from disk with no console error, no network request, drawn charts and every section', async () => {
  if (!existsSync(CHROMIUM)) {
    console.log(`SKIP reports/html/page browser test: ${CHROMIUM} not found`);
    return;
  }
  const { root, result } = await renderFixture();
  const file = join(result.outDir, 'report.html');
  const url = pathToFileURL(file).href;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
    await page.goto(url, { waitUntil: 'load' });
    assert.equal(errors, [], `console errors: ${errors.join('; ')}`);
    assert.equal(requests, [url], `requests other than the file itself: ${requests.join(', ')}`);
    assert.equal(dialogs, [], 'no injected script ran');
    for (const id of REPORT_SECTION_IDS) assert.is(await page.locator(`section#${id}`).count(), 1, `section ${id}`);
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

test.run();
