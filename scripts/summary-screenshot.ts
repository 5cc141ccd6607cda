/**
 * A PNG of just the summary of a run's report, for the README (issue 17):
 *
 *   node dist/scripts/summary-screenshot.js RUN_DIR OUT.png
 *
 * Renders the report of RUN_DIR into a temporary folder (the run folder and its change logs
 * are left as they are), opens it in headless Chromium at 1400×900 and captures the
 * `#summary` element. A development tool: it imports playwright-core (a devDependency),
 * which the product never does. Chromium: `$CHROMIUM`, else /usr/bin/chromium (scripts/setup.sh).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { InputError } from '../core/errors.js';
import { SUMMARY_ID } from '../reports/html/summary.js';
import { renderReport } from '../reports/render.js';

/** The viewport the summary is designed for. */
export const SUMMARY_VIEWPORT = { width: 1400, height: 900 } as const;

/** Renders RUN_DIR's report to a temporary folder and writes a PNG of its summary to `out`; returns the summary's box. */
export async function summaryScreenshot(runDir: string, out: string, chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium'): Promise<{ x: number; y: number; width: number; height: number }> {
  if (!existsSync(join(runDir, 'run.json'))) throw new InputError(`${join(runDir, 'run.json')} not found: give a run folder (the --out of 'compbench run')`);
  if (!existsSync(chromiumPath)) throw new InputError(`Chromium not found at ${chromiumPath}: run 'npm run setup' or set CHROMIUM to its path`);
  const tmp = mkdtempSync(join(tmpdir(), 'compbench-summary-'));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const report = await renderReport(runDir, { outDir: join(tmp, 'report'), changeLogDir: join(tmp, 'changes-log'), pngs: false });
    const page = await browser.newPage({ viewport: SUMMARY_VIEWPORT });
    await page.goto(pathToFileURL(join(report.outDir, 'report.html')).href, { waitUntil: 'load' });
    const summary = page.locator(`#${SUMMARY_ID}`);
    await summary.screenshot({ path: resolve(out) });
    const box = await summary.boundingBox();
    if (!box) throw new Error('the summary is not laid out');
    return box;
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length !== 2) throw new InputError('usage: node dist/scripts/summary-screenshot.js RUN_DIR OUT.png');
  const box = await summaryScreenshot(argv[0], argv[1]);
  process.stdout.write(`${resolve(argv[1])}: summary ${Math.round(box.width)}×${Math.round(box.height)} px at (${Math.round(box.x)}, ${Math.round(box.y)}) in a ${SUMMARY_VIEWPORT.width}×${SUMMARY_VIEWPORT.height} viewport\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`compbench: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = e instanceof InputError ? e.exitCode : 1;
    },
  );
}
