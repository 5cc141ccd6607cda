import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { GateRuleResult, RunRecord } from '../../../core/run-record.js';
import { flipRateMde, itemsToDecide, proportionMde } from '../../../core/stats/power.js';
import { evaluateGate } from '../../../reports/gate/evaluate.js';
import { verdictLines } from '../../../reports/gate/format.js';
import type { GatePolicy, GateRule } from '../../../reports/gate/policy.js';
import { parsePolicyText } from '../../../reports/gate/policy.js';
import { cli } from '../../cli-helpers.js';
import { cell, flipped, ones, runRecord, writeRunDir } from './fixtures.js';

const test = suite('reports/gate/power');

const SOURCE = { source: 'test-policy.json', sha256: 'a'.repeat(64) };

/** A suite of n items, 80% right for the teacher; the variant turns `lost` right answers wrong. */
function qaRecord(n: number, lost: number): RunRecord {
  const base = ones(0.8 * n, n);
  return runRecord('teacher', [
    cell('teacher', 'qa', [{ metric: 'acc', scores: base }]),
    cell('teacher/w4', 'qa', [{ metric: 'acc', scores: flipped(base, lost) }], [{ metric: 'acc', scores: base }]),
  ]);
}

const DROP: GateRule = { id: 'qa.drop', kind: 'absolute_drop', suite: 'qa', metric: 'acc', tolerance: 0.05 };

function only(record: RunRecord, rules: GateRule[], extra: Partial<GatePolicy> = {}): { verdict: 'pass' | 'fail'; rule: GateRuleResult } {
  const v = evaluateGate(record, { ...extra, rules }, SOURCE);
  assert.is(v.rules.length, 1);
  return { verdict: v.verdict, rule: v.rules[0] };
}

test('a drop tolerance below the MDE passes as underpowered; the MDE is the one run.json records', () => {
  // 100 items, 1 right→wrong: ρ_d = 0.01, MDE = max(k·√(0.01/100), k²/100) = 0.0785 > 0.05.
  const { verdict, rule } = only(qaRecord(100, 1), [DROP]);
  assert.is(verdict, 'pass');
  assert.is(rule.verdict, 'pass');
  assert.is(rule.power?.status, 'underpowered');
  if (rule.power?.status !== 'underpowered') return;
  assert.ok(Math.abs(rule.power.mde - proportionMde(0.01, 100)) < 1e-12);
  assert.ok(Math.abs(rule.power.tolerance - 0.05) < 1e-12);
  assert.match(rule.reason, /underpowered: the rule allows a loss of 0\.05, below the minimum detectable effect 0\.07849/);
  const lines = verdictLines(evaluateGate(qaRecord(100, 1), { rules: [DROP] }, SOURCE));
  assert.match(lines[1], /^UNDERPOWERED\s+qa\.drop/);
  assert.match(lines.at(-1)!, /gate: PASS \(0 of 1 checks failed, 1 passed underpowered/);
});

test('requirePower: true fails the underpowered rule; the same rule passes on a suite large enough', () => {
  const small = only(qaRecord(100, 1), [DROP], { requirePower: true });
  assert.is(small.verdict, 'fail');
  assert.is(small.rule.verdict, 'fail');
  assert.match(small.rule.reason, /^underpowered: .* and the policy sets requirePower; the point estimate passed/);
  // 1000 items, 10 right→wrong: MDE = k·√(0.01/1000) = 0.0089 < 0.05.
  const large = only(qaRecord(1000, 10), [DROP], { requirePower: true });
  assert.is(large.verdict, 'pass');
  assert.is(large.rule.power?.status, 'powered');
  assert.not.match(large.rule.reason, /underpowered/);
  // The rule's own setting overrides the policy's.
  assert.is(only(qaRecord(100, 1), [{ ...DROP, requirePower: false }], { requirePower: true }).verdict, 'pass');
  assert.is(only(qaRecord(100, 1), [{ ...DROP, requirePower: true }]).verdict, 'fail');
});

test('compbench gate exits 1 on an underpowered rule under requirePower, 0 on the larger suite', () => {
  const policy = join(mkdtempSync(join(tmpdir(), 'compbench-power-')), 'policy.json');
  writeFileSync(policy, JSON.stringify({ requirePower: true, rules: [DROP] }));
  const small = cli('gate', writeRunDir(qaRecord(100, 1)), '--policy', policy);
  assert.is(small.code, 1, small.stderr + small.stdout);
  assert.match(small.stdout, /^FAIL\s+qa\.drop\s+teacher\/w4\s+qa\/acc\s.*underpowered/m);
  const large = cli('gate', writeRunDir(qaRecord(1000, 10)), '--policy', policy);
  assert.is(large.code, 0, large.stderr + large.stdout);
});

test('every point-estimate kind is judged: relative drop, floor, recovery and the flip-rate ceiling', () => {
  const record = qaRecord(100, 1);
  const rules: GateRule[] = [
    { id: 'rd', kind: 'relative_drop', suite: 'qa', metric: 'acc', tolerance: 0.05 },
    { id: 'fl', kind: 'floor', suite: 'qa', metric: 'acc', min: 0.7 },
    { id: 'rec', kind: 'recovery', suite: 'qa', metric: 'acc', ratio: 0.98 },
    { id: 'flip', kind: 'max_flip_rate', suite: 'qa', metric: 'acc', max: 0.02 },
  ];
  const results = Object.fromEntries(evaluateGate(record, { rules }, SOURCE).rules.map((r) => [r.rule, r]));
  const tol = (r: GateRuleResult): number => (r.power && 'tolerance' in r.power ? r.power.tolerance : NaN);
  assert.ok(Math.abs(tol(results.rd) - 0.8 * 0.05) < 1e-12, 'relative: base·tol');
  assert.is(results.rd.power?.status, 'underpowered');
  assert.ok(Math.abs(tol(results.fl) - 0.1) < 1e-12, 'floor: base − min');
  assert.is(results.fl.power?.status, 'powered');
  assert.ok(Math.abs(tol(results.rec) - 0.8 * 0.02) < 1e-12, 'recovery: base·(1 − ratio)');
  assert.is(results.rec.power?.status, 'underpowered');
  // Flip rate: 100 items tell apart from zero only rates above k²/(100 + k²) = 0.073.
  assert.is(results.flip.power?.status, 'underpowered');
  assert.ok(results.flip.power && 'mde' in results.flip.power && Math.abs(results.flip.power.mde - flipRateMde(100)) < 1e-12);
  const big = evaluateGate(qaRecord(1000, 10), { rules: [rules[3]] }, SOURCE).rules[0];
  assert.is(big.power?.status, 'powered');
  // A failed rule carries no power mark: the loss was seen.
  const failed = only(qaRecord(100, 30), [DROP]).rule;
  assert.is(failed.verdict, 'fail');
  assert.is(failed.power, undefined);
});

test('a record without power figures: the pass is marked unknown, and requirePower fails it closed', () => {
  const record = qaRecord(100, 1);
  const stripped: RunRecord = {
    ...record,
    cells: record.cells.map((c) => {
      if (c.state !== 'ok' || !c.vsBaseline) return c;
      const metrics = c.vsBaseline.metrics as Record<string, Record<string, unknown>>;
      return { ...c, vsBaseline: { ...c.vsBaseline, metrics: Object.fromEntries(Object.entries(metrics).map(([k, { power: _p, ...rest }]) => [k, rest])) } };
    }),
  };
  const plain = only(stripped, [DROP]);
  assert.is(plain.verdict, 'pass');
  assert.is(plain.rule.power?.status, 'unknown');
  const required = only(stripped, [DROP], { requirePower: true });
  assert.is(required.verdict, 'fail');
  assert.match(required.rule.reason, /requirePower: the run record has no power figures/);
});

/** Items in blocks of 100: 10 right→wrong, 9 wrong→right, 61 right in both, 20 wrong in both (Δ = −0.01). */
function wideRecord(blocks: number): RunRecord {
  const base: number[] = [];
  const vari: number[] = [];
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 100; i++) {
      base.push(i < 10 ? 1 : i < 19 ? 0 : i < 80 ? 1 : 0);
      vari.push(i < 10 ? 0 : i < 19 ? 1 : i < 80 ? 1 : 0);
    }
  }
  return runRecord('teacher', [
    cell('teacher', 'qa', [{ metric: 'acc', scores: base }]),
    cell('teacher/w4', 'qa', [{ metric: 'acc', scores: vari }], [{ metric: 'acc', scores: base }]),
  ]);
}

test('non-inferiority failing for width says so and how many items would decide it; a suite of that size does', () => {
  const NI: GateRule = { id: 'qa.ni', kind: 'noninferiority', suite: 'qa', metric: 'acc', margin: 0.05 };
  const record = wideRecord(1);
  const { rule } = only(record, [NI]);
  assert.is(rule.verdict, 'fail');
  assert.is(rule.power?.status, 'too-wide');
  if (rule.power?.status !== 'too-wide') return;
  const cmp = (record.cells[1] as unknown as { vsBaseline: { metrics: { acc: { delta: { delta: number; low: number; n: number } } } } }).vsBaseline.metrics.acc.delta;
  const expected = itemsToDecide(cmp.n, cmp.delta - cmp.low, cmp.delta + 0.05);
  assert.is(rule.power.itemsNeeded, expected);
  assert.is(rule.power.itemsNeeded, Math.ceil(100 * ((cmp.delta - cmp.low) / (cmp.delta + 0.05)) ** 2 - 1e-9));
  assert.match(rule.reason, new RegExp(`fails for width, not for the estimate: Δ -0\\.01 is within the margin .* about ${expected} items \\(now 100\\) would decide it`));
  // Recomputed: the same outcomes on 1.5× the items decide it (pass); on 0.6× they do not.
  const decide = (blocks: number): GateRuleResult => only(wideRecord(blocks), [NI]).rule;
  assert.is(decide(Math.ceil((1.5 * expected) / 100)).verdict, 'pass');
  assert.is(decide(Math.floor((0.6 * expected) / 100)).verdict, 'fail');
  // A failure on the estimate itself is not a width failure.
  assert.is(only(qaRecord(100, 30), [NI]).rule.power, undefined);
});

test('the policy schema checks requirePower (ajv), with the JSON path', () => {
  assert.is(parsePolicyText(JSON.stringify({ requirePower: true, rules: [DROP] }), 'p.json').requirePower, true);
  assert.throws(() => parsePolicyText(JSON.stringify({ requirePower: 'yes', rules: [DROP] }), 'p.json'), /\$\.requirePower.*boolean/);
  assert.throws(() => parsePolicyText(JSON.stringify({ rules: [{ ...DROP, requirePower: 1 }] }), 'p.json'), /\$\.rules\[0\]\.requirePower.*boolean/);
});

test.run();
