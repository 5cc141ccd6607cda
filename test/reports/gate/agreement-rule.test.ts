import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CellAgreement, CellRecord, RunRecord } from '../../../core/run-record.js';
import { InputError } from '../../../core/errors.js';
import { evaluateGate } from '../../../reports/gate/evaluate.js';
import { parsePolicyText, type GateRule } from '../../../reports/gate/policy.js';
import { cell, runRecord } from './fixtures.js';

const test = suite('reports/gate (agreement rules)');
const SOURCE = { source: 'test-policy.json', sha256: 'a'.repeat(64) };

function computed(meanKl: [number, number, number], sameTop: [number, number, number]): CellAgreement {
  const est = ([value, low, high]: [number, number, number]) => ({ value, low, high });
  return { state: 'computed', baseline: 'base', bound: 'exact', instances: 40, tokens: 9000, meanKl: est(meanKl), sameTopRate: est(sameTop), dp: { mean: -0.01, p1: -0.3, p5: -0.1, p50: 0, p95: 0.05, p99: 0.2 } };
}

function withAgreement(variantId: string, suiteId: string, agreement?: CellAgreement): CellRecord {
  const c = cell(variantId, suiteId, [{ metric: 'perplexity', scores: [10, 11, 12], higherIsBetter: false }], [{ metric: 'perplexity', scores: [10, 11, 12] }]);
  return agreement && c.state === 'ok' ? { ...c, agreement } : c;
}

/** base; w8 close to it, w2 far, nc not computed, none without any figure; suite `ppl` rolling, `gen` generate. */
function record(): RunRecord {
  const r = runRecord('base', [
    withAgreement('base', 'ppl'),
    withAgreement('w8', 'ppl', computed([0.002, 0.0015, 0.0025], [0.97, 0.96, 0.98])),
    withAgreement('w2', 'ppl', computed([0.4, 0.3, 0.5], [0.7, 0.68, 0.72])),
    withAgreement('nc', 'ppl', { state: 'not computed', baseline: 'base', reason: "the variant's vocabulary has 512 tokens, the baseline's 2048" }),
    withAgreement('none', 'ppl'),
    withAgreement('w8', 'gen'),
  ]);
  return {
    ...r,
    suites: r.suites.map((s) => ({ ...s, kind: s.id === 'ppl' ? 'rolling' : 'generate' })),
    variants: r.variants.map((v) => (v.id === 'base' ? v : { ...v, comparedTo: 'base' })),
    pairing: 'parent',
  };
}

function results(rule: GateRule) {
  return evaluateGate(record(), { rules: [rule] }, SOURCE).rules;
}

test('max_mean_kl passes when the whole interval is under max, fails above it and when nothing was computed', () => {
  const got = results({ id: 'kl', kind: 'max_mean_kl', suite: 'ppl', max: 0.01 });
  const by = new Map(got.map((r) => [r.variantId, r]));
  assert.equal([...by.keys()].sort(), ['nc', 'none', 'w2', 'w8']);
  assert.is(by.get('w8')!.verdict, 'pass');
  assert.is(by.get('w8')!.value, 0.002);
  assert.is(by.get('w8')!.metric, 'meanKl');
  assert.is(by.get('w2')!.verdict, 'fail');
  assert.is(by.get('nc')!.verdict, 'fail');
  assert.is(by.get('nc')!.value, null);
  assert.match(by.get('nc')!.reason, /not computed: the variant's vocabulary has 512/);
  assert.is(by.get('none')!.verdict, 'fail');
  assert.match(by.get('none')!.reason, /no agreement figures/);
  // the point estimate alone would pass: the interval's upper end decides
  assert.is(results({ id: 'kl', kind: 'max_mean_kl', suite: 'ppl', max: 0.0022, variants: 'w8' })[0].verdict, 'fail');
});

test('min_same_top_rate reads the lower end of the interval', () => {
  const got = results({ id: 'top', kind: 'min_same_top_rate', suite: '*', min: 0.9, variants: ['w8', 'w2', 'nc'] });
  assert.equal(got.map((r) => `${r.variantId}:${r.suiteId}:${r.verdict}`), ['w8:ppl:pass', 'w2:ppl:fail', 'nc:ppl:fail']);
  assert.is(results({ id: 'top', kind: 'min_same_top_rate', suite: 'ppl', min: 0.965, variants: 'w8' })[0].verdict, 'fail');
});

test('a generate suite or an unknown suite fails the rule (never a pass)', () => {
  const [gen] = results({ id: 'kl', kind: 'max_mean_kl', suite: 'gen', max: 1, variants: 'w8' });
  assert.is(gen.verdict, 'fail');
  assert.match(gen.reason, /generate suite/);
  const [unknown] = results({ id: 'kl', kind: 'max_mean_kl', suite: 'pp', max: 1, variants: 'w8' });
  assert.is(unknown.verdict, 'fail');
  assert.match(unknown.reason, /Did you mean: ppl/);
  assert.is(evaluateGate(record(), { rules: [{ id: 'kl', kind: 'max_mean_kl', suite: 'ppl', max: 1, variants: 'nc' }] }, SOURCE).verdict, 'fail');
});

test('the policy schema takes the kinds and refuses a metric or a missing bound', () => {
  assert.is(parsePolicyText(JSON.stringify({ rules: [{ id: 'kl', kind: 'max_mean_kl', suite: '*', max: 0.05 }, { id: 't', kind: 'min_same_top_rate', suite: 'ppl', min: 0.9 }] }), 'p.json').rules.length, 2);
  for (const bad of [
    { id: 'kl', kind: 'max_mean_kl', suite: '*' },
    { id: 'kl', kind: 'max_mean_kl', suite: '*', max: 0.05, metric: 'perplexity' },
    { id: 't', kind: 'min_same_top_rate', suite: '*', min: 1.5 },
    { id: 't', kind: 'min_same_top_rate', min: 0.9 },
  ]) {
    assert.throws(() => parsePolicyText(JSON.stringify({ rules: [bad] }), 'p.json'), (e: unknown) => e instanceof InputError, JSON.stringify(bad));
  }
});

test.run();
