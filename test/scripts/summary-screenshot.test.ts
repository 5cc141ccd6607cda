import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../core/errors.js';
import { summaryScreenshot } from '../../scripts/summary-screenshot.js';
import { writeFixtureRun } from '../reports/fixtures.js';

const test = suite('scripts/summary-screenshot');

const CHROMIUM = '/usr/bin/chromium';

test('writes a PNG of the summary alone and leaves the run folder as it was', async () => {
  if (!existsSync(CHROMIUM)) {
    console.log(`SKIP scripts/summary-screenshot: ${CHROMIUM} not found`);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'compbench-shot-'));
  try {
    const runDir = join(root, 'runs', 'run1');
    writeFixtureRun(runDir);
    const out = join(root, 'summary.png');
    const box = await summaryScreenshot(runDir, out, CHROMIUM);
    assert.equal([...readFileSync(out).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // PNG header: width and height at bytes 16–23.
    const png = readFileSync(out);
    assert.ok(Math.abs(png.readUInt32BE(16) - box.width) <= 1, `PNG width ${png.readUInt32BE(16)} vs summary ${box.width}`);
    assert.ok(box.y + box.height <= 900, `summary bottom ${box.y + box.height}`);
    assert.equal(readdirSync(runDir).sort(), ['instances.jsonl', 'run.json'], 'no report or change log written beside the run');
    assert.not.ok(existsSync(join(root, 'runs', 'changes-log')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a folder without run.json is an InputError naming the file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'compbench-shot-missing-'));
  const runDir = join(root, 'no-run');
  try {
    await summaryScreenshot(runDir, join(root, 'never.png'), CHROMIUM);
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, `${join(runDir, 'run.json')} not found`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
