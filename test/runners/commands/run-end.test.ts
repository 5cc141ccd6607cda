/** The end of `compbench run` on a tiny failing run: a short summary, the full lists in files, --json and --quiet. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord } from '../../../core/run-record.js';
import { cli } from '../../cli-helpers.js';
import { studentDir, tempDir } from '../fixtures.js';
import { TINY_MC_ROWS, writeConfig, writeMcSuite } from '../matrix/fixtures.js';

const test = suite('runners/commands/run (end of run)');

/** A policy no compressed variant can meet (accuracy above 1), so each fails and the gate says so. */
const IMPOSSIBLE = { minN: 1, rules: [{ id: 'mc.floor', kind: 'floor', suite: 'tiny-mc', metric: 'acc', min: 1.5, minN: 1 }] };

function config(model: string, cacheDir: string): string {
  return writeConfig({
    models: [{ id: 'student', dir: model }],
    methods: [{ method: 'rtn', bits: [8, 4], group: 'channel' }],
    suites: [writeMcSuite(TINY_MC_ROWS)],
    seed: 1,
    measurement: { enabled: false },
    execution: { workers: 1 },
    cacheDir,
    gatePolicy: IMPOSSIBLE,
  });
}

/** The lines after the progress bar's last line (or all of them when there was none). */
function afterBar(stdout: string): string[] {
  const lines = stdout.trimEnd().split('\n');
  let last = lines.length - 1;
  while (last >= 0 && !lines[last].startsWith('[')) last--;
  return lines.slice(last + 1);
}

test('a failing tiny run: ≤ 40 lines after the bar with the verdict, one line per failing variant and the paths; files hold every rule; --json and --quiet agree with the record', () => {
  const model = studentDir('run end summary');
  if (!model) return;
  const cfg = config(model, tempDir('cache'));
  const out = tempDir('out');
  const r = cli('run', '--config', cfg, '--out', out);
  assert.is(r.code, 1, r.stderr + r.stdout);
  const tail = afterBar(r.stdout);
  assert.ok(tail.length <= 40, `${tail.length} lines after the bar:\n${tail.join('\n')}`);
  assert.ok(tail.some((l) => /^gate: FAIL — exit 1: the gate failed \(2 of 2 rules failed\)$/u.test(l)), tail.join('\n'));
  for (const id of ['student/rtn-w8-gch', 'student/rtn-w4-gch']) {
    // two instances are too few to judge: the floor fails closed, and the line says why
    assert.is(tail.filter((l) => l === `  ${id}: 1 failed — too few instances to trust: tiny-mc/acc`).length, 1, `one line for ${id}:\n${tail.join('\n')}`);
  }
  for (const f of ['report/report.html', 'gate.txt', 'summary.txt', 'run.json']) assert.ok(tail.some((l) => l.includes(join(out, f))), f);
  assert.not.match(r.stdout, /^VERDICT/mu, 'the rule table is in gate.txt, not on the terminal');

  const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
  const gateText = readFileSync(join(out, 'gate.txt'), 'utf8');
  assert.is(record.gate!.rules.length, 2);
  for (const rule of record.gate!.rules) assert.match(gateText, new RegExp(`^${rule.verdict.toUpperCase()}\\s+${rule.rule.replace('.', '\\.')}\\s+${rule.variantId.replace('/', '\\/')}\\s`, 'mu'));
  assert.match(gateText, /^gate: FAIL \(2 of 2 checks failed;/mu);
  const table = readFileSync(join(out, 'summary.txt'), 'utf8');
  assert.match(table, /^tiny-mc \(multiple_choice, n=2\)$/mu);
  assert.match(table, /^ {2}acc +student\/rtn-w8-gch .*Δ /mu);

  // A second run is served from the cache; --json prints one object and nothing else on stdout.
  const j = cli('run', '--config', cfg, '--out', out, '--json');
  assert.is(j.code, 1, j.stderr);
  const summary = JSON.parse(j.stdout) as { verdict: string; exitCode: number; counts: { rulesFailed: number; instancesCached: number }; failing: { variantId: string; rules: { rule: string; reason: string }[] }[]; paths: { gate: string } };
  const again = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
  assert.is(summary.verdict, again.gate!.verdict);
  assert.is(summary.exitCode, 1);
  assert.is(summary.counts.rulesFailed, 2);
  assert.is(summary.counts.instancesCached, 6);
  assert.equal(summary.failing.map((v) => v.variantId), ['student/rtn-w8-gch', 'student/rtn-w4-gch']);
  assert.is(summary.paths.gate, join(out, 'gate.txt'));
  const failed = again.gate!.rules.filter((r) => r.verdict === 'fail');
  assert.equal(summary.failing.flatMap((v) => v.rules.map((r) => `${r.rule}|${r.reason}`)), failed.map((r) => `${r.rule}|${r.reason}`), 'every failing rule with its whole reason');
  assert.match(j.stderr, /instances computed/u, 'the progress log went to stderr');

  const q = cli('run', '--config', cfg, '--out', out, '--quiet');
  assert.is(q.code, 1, q.stderr);
  const lines = q.stdout.trimEnd().split('\n');
  assert.ok(lines.length <= 3, q.stdout);
  assert.match(lines[0], /^gate: FAIL — exit 1/u);
  assert.is(lines[1], `report: ${join(out, 'report', 'report.html')}`);
  assert.is(q.stderr, '');
});

test('--quiet and --json are in the usage; an unknown flag is still one line', () => {
  const help = cli('run', '--help');
  assert.match(help.stdout, /--quiet/u);
  assert.match(help.stdout, /--json/u);
  const bad = cli('run', '--quite');
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /^compbench: run: Unknown option '--quite'[^\n]*\n$/u);
});

test.run();
