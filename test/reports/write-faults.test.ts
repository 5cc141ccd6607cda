import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WRITE_FAULT_ENV } from '../../core/write-fault.js';
import { assertOneLineError, cli, type CliResult } from '../cli-helpers.js';
import { writeFixtureRun } from './fixtures.js';

const test = suite('reports: write faults (full disk, read-only folder)');

/** Runs the CLI with COMPBENCH_TEST_WRITE_FAULT set (test-only, read by core/atomic-write.ts). */
function cliWithFault(fault: string, ...args: string[]): CliResult {
  process.env[WRITE_FAULT_ENV] = fault;
  try {
    return cli(...args);
  } finally {
    delete process.env[WRITE_FAULT_ENV];
  }
}

function fixtureRun(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'compbench-faults-')), 'run');
  writeFixtureRun(dir);
  return dir;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

test('a full disk while report.html is written: one line naming it and --out, exit 2; the old report stays whole', () => {
  const dir = fixtureRun();
  assert.is(cli('report', dir, '--no-png').code, 0);
  const html = join(dir, 'report', 'report.html');
  const before = readFileSync(html, 'utf8');
  const r = cliWithFault('ENOSPC:report.html', 'report', dir, '--no-png');
  assertOneLineError(r, new RegExp(`cannot write ${esc(html)} \\(the disk is full, ENOSPC\\); free disk space or choose another folder with --out\\n$`));
  assert.is(readFileSync(html, 'utf8'), before);
  assert.ok(before.trimEnd().endsWith('</html>'));
  assert.equal(readdirSync(join(dir, 'report')).filter((f) => f.includes('.tmp-')), [], 'no temporary file left');
});

test('a full disk on a first report leaves no report.html rather than a torn one', () => {
  const dir = fixtureRun();
  assertOneLineError(cliWithFault('ENOSPC:report.html', 'report', dir, '--no-png'), /report\.html \(the disk is full, ENOSPC\)/);
  assert.not.ok(existsSync(join(dir, 'report', 'report.html')));
});

test('a read-only run folder: one line naming the folder and the fix, not an internal error', () => {
  const dir = fixtureRun();
  const r = cliWithFault(`EROFS:${join(dir, 'report')}`, 'report', dir, '--no-png');
  assertOneLineError(r, new RegExp(`${esc(join(dir, 'report'))}: folder is not writable \\(read-only file system in ${esc(dir)}, EROFS\\); make ${esc(dir)} writable or choose another folder with --out\\n$`));
  const other = mkdtempSync(join(tmpdir(), 'compbench-report-'));
  const ok = cliWithFault(`EROFS:${join(dir, 'report')}`, 'report', dir, '--no-png', '--out', other);
  assert.is(ok.code, 0, ok.stderr);
  assert.ok(existsSync(join(other, 'report.html')), '--out puts the report elsewhere');
});

test('charts, results.csv, junit.xml, summary.md, change records and the change log fail the same way, each naming its path and flag', () => {
  const cases: [string, RegExp][] = [
    ['ENOSPC:.png', /cannot write [^\n]*\/charts\/[^\n]*\.png \(the disk is full, ENOSPC\); [^\n]*--out/],
    ['ENOSPC:results.csv', /cannot write [^\n]*\/results\.csv \(the disk is full, ENOSPC\); [^\n]*--out/],
    ['ENOSPC:junit.xml', /cannot write [^\n]*\/junit\.xml \(the disk is full, ENOSPC\); [^\n]*--out/],
    ['ENOSPC:summary.md', /cannot write [^\n]*\/summary\.md \(the disk is full, ENOSPC\); [^\n]*--out/],
    // `g128.md`, not `.md`: summary.md is written before the change records.
    ['EACCES:g128.md', /cannot write [^\n]*\/changes\/[^\n]*\.md \(permission denied, EACCES\); make [^\n]*\/changes writable or choose another folder with --out/],
    ['ENOSPC:.jsonl', /cannot write [^\n]*\/changes-log\/[^\n]*\.jsonl \(the disk is full, ENOSPC\); free disk space or choose another folder with --change-log-dir/],
  ];
  for (const [fault, pattern] of cases) {
    // A fresh run each time: a change-log entry once written is not written again.
    const dir = fixtureRun();
    const args = fault === 'ENOSPC:.png' ? ['report', dir] : ['report', dir, '--no-png'];
    assertOneLineError(cliWithFault(fault, ...args), pattern);
  }
});

test('gate on a full disk: one line, exit 2, run.json unchanged', () => {
  const dir = fixtureRun();
  const before = readFileSync(join(dir, 'run.json'), 'utf8');
  const r = cliWithFault('ENOSPC:run.json', 'gate', dir);
  assertOneLineError(r, new RegExp(`cannot write ${esc(join(dir, 'run.json'))} \\(the disk is full, ENOSPC\\); free disk space or gate a writable copy of the run folder`));
  assert.is(readFileSync(join(dir, 'run.json'), 'utf8'), before);
});

test.run();
