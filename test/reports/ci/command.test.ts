import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../../cli-helpers.js';
import { writeFixtureRun } from '../fixtures.js';
import { parseXmlStrict } from './xml-check.js';

const test = suite('reports/ci/command');

test('compbench report writes junit.xml and summary.md next to report.html', () => {
  const root = mkdtempSync(join(tmpdir(), 'compbench-ci-'));
  const runDir = join(root, 'run1');
  writeFixtureRun(runDir);
  const r = cli('report', runDir, '--no-png');
  assert.is(r.code, 0, r.stderr);
  const outDir = join(runDir, 'report');
  for (const name of ['report.html', 'junit.xml', 'summary.md']) assert.match(r.stdout, join(outDir, name));
  const junit = parseXmlStrict(readFileSync(join(outDir, 'junit.xml'), 'utf8'));
  assert.is(junit.attrs.failures, '2');
  assert.is(junit.attrs.errors, '1');
  assert.match(readFileSync(join(outDir, 'summary.md'), 'utf8'), '## ❌ Gate: FAIL: 2 of 3 rules failed');
  assert.match(cli('report', '--help').stdout, 'junit.xml');
  rmSync(root, { recursive: true, force: true });
});

test.run();
