import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord } from '../../../core/run-record.js';
import { gateRun } from '../../../reports/gate/command.js';
import { BUNDLED_POLICY_FILE } from '../../../reports/gate/policy.js';
import { readRunRecord } from '../../../reports/gate/run-file.js';
import { cell, flipped, ones, runRecord, writeRunDir } from './fixtures.js';
import { cli, assertOneLineError } from '../../cli-helpers.js';

const test = suite('reports/gate/command (CLI)');

const BASE = ones(80, 100);
function record(): RunRecord {
  return runRecord('teacher', [
    cell('teacher', 'qa', [{ metric: 'acc', scores: BASE }]),
    cell('teacher/w4', 'qa', [{ metric: 'acc', scores: flipped(BASE, 1) }], [{ metric: 'acc', scores: BASE }]),
  ]);
}

function policyFile(body: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'compbench-gate-policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(body, null, 2));
  return file;
}

const PASSING = { rules: [{ id: 'qa.ni', kind: 'noninferiority', suite: 'qa', metric: 'acc', margin: 0.05 }] };
const FAILING = { rules: [...PASSING.rules, { id: 'qa.floor', kind: 'floor', suite: 'qa', metric: 'acc', min: 0.9 }] };

test('exit 0 on pass: one line per rule, a verdict line, and the verdict written into run.json', () => {
  const dir = writeRunDir(record());
  const before = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
  const file = policyFile(PASSING);
  const r = cli('gate', dir, '--policy', file);
  assert.is(r.code, 0, r.stderr + r.stdout);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^VERDICT\s+RULE\s+VARIANT\s+TARGET\s+VALUE\s+BOUND\s+REASON$/);
  assert.match(lines[1], /^PASS\s+qa\.ni\s+teacher\/w4\s+qa\/acc\s+-0\.\d+\s+-0\.05\s+-0\.\d+ > -0\.05 \(paired 95% CI of Δ/);
  assert.match(lines[2], /^gate: PASS \(0 of 1 checks failed; policy .*policy\.json sha256 [0-9a-f]{12}\)$/);
  const after = readRunRecord(join(dir, 'run.json'));
  assert.is(after.gate?.verdict, 'pass');
  assert.is(after.gate?.policySource, file);
  assert.match(after.gate!.policySha256, /^[0-9a-f]{64}$/);
  assert.is(after.gate?.rules.length, 1);
  const { gate, ...rest } = after;
  assert.equal(rest, before, 'every other field kept as it was');
});

test('exit 1 on fail; the verdict replaces an earlier one', () => {
  const dir = writeRunDir(record());
  assert.is(cli('gate', dir, '--policy', policyFile(PASSING)).code, 0);
  const r = cli('gate', dir, '--policy', policyFile(FAILING));
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /\nFAIL\s+qa\.floor\s+teacher\/w4\s+qa\/acc\s+0\.79\s+0\.9\s+0\.79 < 0\.9 \(floor\)\n/);
  assert.match(r.stdout, /gate: FAIL \(1 of 2 checks failed;/);
  const after = readRunRecord(join(dir, 'run.json'));
  assert.is(after.gate?.verdict, 'fail');
  assert.equal(after.gate?.rules.map((x) => x.verdict), ['pass', 'fail']);
});

test('the default policy is derived from the run\'s suites: rules only about them, no latency rule without measurements, its source printed', () => {
  const dir = writeRunDir(record());
  const r = cli('gate', dir);
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /PASS\s+qa\.noninferiority\s+teacher\/w4\s+qa\/acc\s/);
  const rows = r.stdout.split('\n').filter((l) => /^(PASS|FAIL|SKIP)\s/.test(l));
  assert.equal(rows.map((l) => l.split(/\s+/)[1]), ['qa.noninferiority']);
  assert.match(r.stdout, /policy default \(derived from the run's suite roles\) sha256 [0-9a-f]{12}\)/);
  assert.match(r.stdout, /policy: Derived from the run's suites and roles: qa \(other\)\..*no latency or memory rule: the run did not measure speed and memory/);
  const after = readRunRecord(join(dir, 'run.json'));
  assert.is(after.gate?.policySource, "default (derived from the run's suite roles)");
  const printed = cli('gate', dir, '--print-policy');
  assert.is(printed.code, 0, printed.stderr);
  assert.equal((JSON.parse(printed.stdout) as { rules: { id: string }[] }).rules.map((x) => x.id), ['qa.noninferiority']);
});

test('a policy naming suites and measurements the run lacks fails closed with one line per missing name', () => {
  const dir = writeRunDir(record());
  const r = cli('gate', dir, '--policy', BUNDLED_POLICY_FILE);
  assert.is(r.code, 1, r.stderr);
  const failing = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
  assert.is(failing.length, 9, failing.join('\n'));
  assert.is(failing.filter((l) => l.includes("suite 'knowledge-closed' is not in the run")).length, 1);
  assert.match(r.stdout, /FAIL\s+knowledge-closed\.noninferiority, knowledge-closed\.flips\s+\*\s+knowledge-closed\s+n\/a\s+-0\.05\s+suite 'knowledge-closed' is not in the run\. .*\(named by 2 rules knowledge-closed\.noninferiority, knowledge-closed\.flips\)/);
  assert.match(r.stdout, /FAIL\s+latency, memory\s+\*\s+n\/a\s+100\s+the run has no measurements/);
});

test('gateRun returns the verdict it wrote', () => {
  const dir = writeRunDir(record());
  const result = gateRun(dir, policyFile(FAILING));
  assert.is(result.verdict.verdict, 'fail');
  assert.equal(readRunRecord(result.runFile).gate, result.verdict);
});

test('exit 2 with one line: missing folder, no run.json, invalid run.json, invalid policy, bad arguments', () => {
  const empty = mkdtempSync(join(tmpdir(), 'compbench-gate-empty-'));
  assertOneLineError(cli('gate', join(empty, 'nope')), /nope: run folder not found/);
  assertOneLineError(cli('gate', empty), /no run\.json in it/);
  const bad = writeRunDir(record());
  const text = JSON.parse(readFileSync(join(bad, 'run.json'), 'utf8')) as Record<string, unknown>;
  delete text.cells;
  writeFileSync(join(bad, 'run.json'), JSON.stringify(text, null, 1));
  assertOneLineError(cli('gate', bad), /run\.json is not a valid run record: .*missing required field 'cells'/);
  writeFileSync(join(bad, 'run.json'), '{"schemaVersion": 1,');
  assertOneLineError(cli('gate', bad), /run\.json: malformed JSON/);
  const dir = writeRunDir(record());
  const policy = policyFile({ rules: [{ id: 'a', kind: 'noninferiority', suite: 'qa', metric: 'acc', margn: 0.05 }] });
  assertOneLineError(cli('gate', dir, '--policy', policy), /invalid gate policy: .*policy\.json:\d+: \$\.rules\[0\]/);
  assertOneLineError(cli('gate', dir, '--policy', join(empty, 'none.json')), /cannot read the gate policy/);
  assertOneLineError(cli('gate'), /missing RUN_DIR/);
  assertOneLineError(cli('gate', dir, '--polcy', 'x'), /gate: Unknown option '--polcy'/);
  assert.is(readRunRecord(join(dir, 'run.json')).gate, undefined, 'nothing written on invalid input');
});

test('--help prints the usage', () => {
  const r = cli('gate', '--help');
  assert.is(r.code, 0);
  assert.match(r.stdout, /^usage: compbench gate RUN_DIR \[--policy FILE\] \[--print-policy\]/);
});

test.run();
