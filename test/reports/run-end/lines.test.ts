import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { GateRuleResult, GateVerdict } from '../../../core/run-record.js';
import { escapeTerminal } from '../../../reports/escape.js';
import { failingByVariant, runEndLines, runEndSummary, variantLine, verdictLine } from '../../../reports/run-end/index.js';
import { cell, erroredCell, ones, runRecord } from '../gate/fixtures.js';

const test = suite('reports/run-end');

const PATHS = { record: '/r/run.json', report: '/r/report/report.html', gate: '/r/gate.txt', summary: '/r/summary.txt' };

function rule(variantId: string, verdict: GateRuleResult['verdict'], suiteId = 'qa', value: number | null = -0.07381): GateRuleResult {
  const reason = value === null ? 'cell errored: worker crashed' : `${value} ≤ -0.05 (paired 95% CI of Δ [${value}, -0.01667], Δ -0.04524, n=420)`;
  return { rule: `${suiteId}.noninferiority`, kind: 'noninferiority', variantId, suiteId, metric: 'acc', value, bound: -0.05, verdict, reason };
}

function gate(rules: GateRuleResult[]): GateVerdict {
  return { verdict: rules.some((r) => r.verdict === 'fail') ? 'fail' : 'pass', policySource: 'policy.json', policySha256: 'a'.repeat(64), rules };
}

const RECORD = runRecord('teacher', [cell('teacher', 'qa', [{ metric: 'acc', scores: ones(80, 100) }])]);

test('failing rules are grouped by variant, most failures first, each with its comparison only', () => {
  const groups = failingByVariant([rule('a', 'fail', 'kc'), rule('b', 'fail'), rule('a', 'pass'), rule('b', 'fail', 'kc', null), rule('c', 'skip'), rule('d', 'fail')]);
  assert.equal(groups.map((g) => `${g.variantId}:${g.rules.length}`), ['b:2', 'a:1', 'd:1']);
  assert.is(groups[0].rules[0].short, '-0.07381 ≤ -0.05');
  assert.is(groups[0].rules[0].target, 'qa/acc');
  assert.match(groups[0].rules[0].reason, /\(paired 95% CI of Δ/u, 'the whole reason is kept for --json');
  assert.is(groups[0].rules[1].short, 'cell errored: worker crashed', 'an unread value keeps its whole reason');
});

test('a large failing run stays under 40 lines: 20 variant lines of ≤ 160 characters, the rest counted, the paths', () => {
  const rules = Array.from({ length: 30 }, (_, v) => ['fairness', 'knowledge-closed', 'knowledge-open', 'rare-words', 'reasoning', 'perplexity'].map((s) => rule(`teacher/variant-${v}`, 'fail', s))).flat();
  const lines = runEndLines(runEndSummary(RECORD, gate([...rules, rule('teacher/ok', 'pass')]), 1, PATHS));
  assert.ok(lines.length <= 40, `${lines.length} lines`);
  const variantLines = lines.filter((l) => /^ {2}teacher\/variant-\d+: 6 failed — /u.test(l));
  assert.is(variantLines.length, 20);
  for (const l of lines) assert.ok(l.length <= 160, `${l.length}: ${l}`);
  assert.match(variantLines[0], /fairness\/acc -0\.07381 ≤ -0\.05; .* \(\+\d more\)$/u);
  assert.ok(lines.includes('  … and 10 more variant(s) (see /r/gate.txt)'));
  assert.match(lines[0], /^gate: FAIL — exit 1: the gate failed \(180 of 181 rules failed\)$/u);
  assert.ok(lines.includes('rules: 1 passed, 180 failed, 0 skipped; policy policy.json sha256 aaaaaaaaaaaa'));
  for (const p of Object.values(PATHS)) assert.ok(lines.some((l) => l.includes(p)), p);
});

test('one rule wider than the line is cut with an ellipsis, keeping the count of the others', () => {
  const long = { ...rule('v', 'fail', 'qa', null), reason: 'x'.repeat(400) };
  const other = { ...rule('v', 'fail', 'kc', null), reason: 'cell errored' };
  const line = variantLine({ variantId: 'v', rules: failingByVariant([long, other])[0].rules }, 100);
  assert.is(line.length, 100);
  assert.match(line, /^ {2}v: 2 failed — x+… \(\+1 more\)$/u);
});

test('rules that could not be read are grouped by reason, without the variant the line already names', () => {
  const tooFew = (s: string): GateRuleResult => ({ ...rule('v', 'fail', s, null), reason: `variant v: too few instances to trust (tooFew: n=20, 95% CI [0.7, 1])` });
  const line = variantLine(failingByVariant([tooFew('a'), rule('v', 'fail', 'b'), tooFew('c'), tooFew('d')])[0]);
  assert.is(line, '  v: 4 failed — too few instances to trust: a/acc, c/acc, d/acc; b/acc -0.07381 ≤ -0.05');
  assert.is(variantLine(failingByVariant([tooFew('a'), rule('v', 'fail', 'b'), tooFew('c')])[0], 70), '  v: 3 failed — too few instances to trust: a/acc, c/acc (+1 more)');
  assert.is(variantLine(failingByVariant([tooFew('a'), rule('v', 'fail', 'b'), tooFew('c')])[0], 60), '  v: 3 failed — too few instances to trust: a/acc (+2 more)', 'a group is cut by target');
});

test('verdict lines: pass, and incomplete (which outranks the gate) with its exit code', () => {
  assert.match(verdictLine(runEndSummary(RECORD, gate([rule('v', 'pass')]), 0, PATHS)), /^gate: PASS — exit 0: every gate rule passed or was skipped \(0 of 1 rules failed\)$/u);
  const broken = runRecord('teacher', [cell('teacher', 'qa', [{ metric: 'acc', scores: ones(80, 100) }]), erroredCell('teacher/w4', 'qa', 'worker crashed')]);
  const s = runEndSummary(broken, gate([rule('teacher/w4', 'fail', 'qa', null)]), 3, PATHS);
  assert.is(s.verdict, 'incomplete');
  assert.is(s.counts.cellsErrored, 1);
  assert.match(verdictLine(s), /^run: INCOMPLETE \(gate: FAIL\) — exit 3: the run is incomplete, 1 of 2 cells failed/u);
});

test('control characters from untrusted text are made visible, never sent to the terminal', () => {
  assert.is(escapeTerminal('a\u001b[2Jb\r\nc\u009b'), 'a\\u001b[2Jb\\u000d\\u000ac\\u009b');
  const evil = { ...rule('v\u001b[31m', 'fail', 'qa', null), reason: 'model said \u001b]0;pwned\u0007' };
  const line = runEndLines(runEndSummary(RECORD, gate([evil]), 1, PATHS)).join('\n');
  assert.not.match(line, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u);
  assert.match(line, /v\\u001b\[31m: 1 failed — model said \\u001b\]0;pwned\\u0007: qa\/acc/u);
});

test.run();
