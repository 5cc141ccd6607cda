import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../core/errors.js';
import { loadRun } from '../../reports/load-run.js';
import { renderReport } from '../../reports/render.js';
import { writeFixtureRun } from './fixtures.js';

const test = suite('reports/load-run');

function runWith(edit: (record: Record<string, unknown>) => Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-schema-'));
  writeFixtureRun(dir);
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'run.json'), JSON.stringify(edit(record)));
  return dir;
}

function expectInputError(dir: string, pattern: RegExp): void {
  try {
    loadRun(dir);
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, InputError);
    const message = (e as Error).message;
    assert.not.ok(message.includes('\n'), 'one line');
    assert.match(message, pattern);
  }
}

test('a compatible record without the optional measurements, gate and instances renders', async () => {
  const dir = runWith(({ measurements: _m, gate: _g, ...rest }) => rest);
  rmSync(join(dir, 'instances.jsonl'));
  const result = await renderReport(dir, { pngs: false });
  const html = readFileSync(join(result.outDir, 'report.html'), 'utf8');
  assert.ok(html.includes('No gate verdict in this run record'));
  assert.ok(html.includes('Measurement was off for this run'));
  assert.ok(html.includes('instances.jsonl is missing'));
  rmSync(dir, { recursive: true, force: true });
});

test('older, newer and missing schema versions fail with one line naming the version', () => {
  const older = runWith((r) => ({ ...r, schemaVersion: 0 }));
  expectInputError(older, /schemaVersion 0 is not readable.*release that wrote version 0/u);
  const newer = runWith((r) => ({ ...r, schemaVersion: 99 }));
  expectInputError(newer, /schemaVersion 99 .*newer compbench/u);
  const missing = runWith(({ schemaVersion: _v, ...rest }) => rest);
  expectInputError(missing, /'schemaVersion' is missing/u);
  const other = runWith((r) => ({ ...r, tool: 'lm-eval' }));
  expectInputError(other, /not a compbench run record/u);
  for (const d of [older, newer, missing, other]) rmSync(d, { recursive: true, force: true });
});

test('a schema violation names the file and JSON path', () => {
  const dir = runWith((r) => ({ ...r, variants: 'none' }));
  expectInputError(dir, /run\.json.*\$\.variants/u);
  rmSync(dir, { recursive: true, force: true });
});

test('the CLI exits 2 with one line and no stack trace for an old record', () => {
  const dir = runWith((r) => ({ ...r, schemaVersion: 0 }));
  const compiled = new URL('../../cli.js', import.meta.url);
  const run = spawnSync(process.execPath, [compiled.pathname, 'report', dir], { encoding: 'utf8' });
  assert.is(run.status, 2, `stderr: ${run.stderr}`);
  const lines = run.stderr.trim().split('\n');
  assert.is(lines.length, 1, run.stderr);
  assert.match(lines[0], /^compbench: .*schemaVersion 0/u);
  assert.not.match(run.stderr, /\n\s+at /u);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
