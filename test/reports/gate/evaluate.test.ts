import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CellRecord, GateRuleResult, RunRecord } from '../../../core/run-record.js';
import { pairedDelta } from '../../../core/stats/index.js';
import { evaluateGate } from '../../../reports/gate/evaluate.js';
import type { GatePolicy, GateRule } from '../../../reports/gate/policy.js';
import { cell, erroredCell, flipped, measured, ones, runRecord, type MetricScores } from './fixtures.js';

const test = suite('reports/gate/evaluate');

const SOURCE = { source: 'test-policy.json', sha256: 'a'.repeat(64) };
const N = 100;

// qa: baseline 80/100 right; w4 loses 1 (79), w2 loses 30 (50).
const BASE_QA = ones(80, N);
const W4_QA = flipped(BASE_QA, 1);
const W2_QA = flipped(BASE_QA, 30);
// ppl: a lower-is-better per-instance metric (perplexity-like), baseline mean 10.2.
const BASE_PPL = Array.from({ length: N }, (_, i) => 10 + (i % 5) * 0.1);
const W4_PPL = BASE_PPL.map((x) => x + 0.2);
const W2_PPL = BASE_PPL.map((x) => x + 4);
// fair: 100 en + 100 sco; w4 keeps en, loses 30 of the 80 right sco answers.
const TAGS = Array.from({ length: 2 * N }, (_, i) => ({ dialect: i < N ? 'en' : 'sco' }));
const BASE_FAIR = [...ones(80, N), ...ones(80, N)];
const W4_FAIR = [...ones(80, N), ...flipped(ones(80, N), 30)];

const qa = (scores: number[]): MetricScores[] => [{ metric: 'contains', scores }];
const ppl = (scores: number[]): MetricScores[] => [{ metric: 'perplexity', scores, higherIsBetter: false }];
const fair = (scores: number[]): MetricScores[] => [{ metric: 'contains', scores, tags: TAGS }];

function fullRecord(): RunRecord {
  return runRecord('teacher', [
    cell('teacher', 'qa', qa(BASE_QA)),
    cell('teacher/w4', 'qa', qa(W4_QA), qa(BASE_QA)),
    cell('teacher/w2', 'qa', qa(W2_QA), qa(BASE_QA)),
    cell('teacher', 'ppl', ppl(BASE_PPL)),
    cell('teacher/w4', 'ppl', ppl(W4_PPL), ppl(BASE_PPL)),
    cell('teacher/w2', 'ppl', ppl(W2_PPL), ppl(BASE_PPL)),
    cell('teacher', 'fair', fair(BASE_FAIR)),
    cell('teacher/w4', 'fair', fair(W4_FAIR), fair(BASE_FAIR)),
    cell('teacher/w2', 'fair', fair(BASE_FAIR), fair(BASE_FAIR)),
  ]);
}

function gate(record: RunRecord, rules: GateRule[], extra: Partial<GatePolicy> = {}) {
  return evaluateGate(record, { ...extra, rules }, SOURCE);
}

function byVariant(results: readonly GateRuleResult[]): Record<string, GateRuleResult> {
  return Object.fromEntries(results.map((r) => [r.slice ? `${r.variantId}:${r.slice}` : r.variantId, r]));
}

test('each accuracy rule kind passes the mild variant and fails the 2-bit one', () => {
  const rules: GateRule[] = [
    { id: 'f', kind: 'floor', suite: 'qa', metric: 'contains', min: 0.7 },
    { id: 'c', kind: 'ceiling', suite: 'qa', metric: 'contains', max: 0.6 },
    { id: 'rd', kind: 'relative_drop', suite: 'qa', metric: 'contains', tolerance: 0.05 },
    { id: 'ad', kind: 'absolute_drop', suite: 'qa', metric: 'contains', tolerance: 0.1 },
    { id: 'rec', kind: 'recovery', suite: 'qa', metric: 'contains' },
    { id: 'ni', kind: 'noninferiority', suite: 'qa', metric: 'contains', margin: 0.05 },
    { id: 'flip', kind: 'max_flip_rate', suite: 'qa', metric: 'contains', max: 0.05 },
  ];
  const verdict = gate(fullRecord(), rules);
  assert.is(verdict.verdict, 'fail');
  assert.is(verdict.policySource, 'test-policy.json');
  assert.is(verdict.policySha256, SOURCE.sha256);
  const get = (id: string) => byVariant(verdict.rules.filter((r) => r.rule === id));
  const expect: Record<string, [string, string]> = {
    f: ['pass', 'fail'],
    c: ['fail', 'pass'],
    rd: ['pass', 'fail'],
    ad: ['pass', 'fail'],
    rec: ['pass', 'fail'],
    ni: ['pass', 'fail'],
    flip: ['pass', 'fail'],
  };
  for (const [id, [w4, w2]] of Object.entries(expect)) {
    const r = get(id);
    assert.equal(Object.keys(r).sort(), ['teacher/w2', 'teacher/w4'], `${id}: baseline not gated by default`);
    assert.is(r['teacher/w4'].verdict, w4, `${id} w4: ${r['teacher/w4'].reason}`);
    assert.is(r['teacher/w2'].verdict, w2, `${id} w2: ${r['teacher/w2'].reason}`);
    assert.is(r['teacher/w4'].suiteId, 'qa');
    assert.is(r['teacher/w4'].metric, 'contains');
  }
  assert.is(get('f')['teacher/w4'].value, 0.79);
  assert.ok(Math.abs(get('rd')['teacher/w2'].bound - 0.76) < 1e-12);
  assert.ok(Math.abs(get('rec')['teacher/w4'].value! - 0.79 / 0.8) < 1e-12);
  // The noninferiority value is the paired interval's lower bound, recomputed here from the scores.
  assert.is(get('ni')['teacher/w2'].value, pairedDelta(BASE_QA, W2_QA, { seed: 0, resamples: 1000 }).low);
  assert.is(get('flip')['teacher/w2'].value, 0.3);
});

test('lower-is-better metric: bounds go up, recovery is base/variant, noninferiority reads the upper CI bound', () => {
  const verdict = gate(fullRecord(), [
    { id: 'rd', kind: 'relative_drop', suite: 'ppl', metric: 'perplexity', tolerance: 0.1 },
    { id: 'rec', kind: 'recovery', suite: 'ppl', metric: 'perplexity', ratio: 0.9 },
    { id: 'ni', kind: 'noninferiority', suite: 'ppl', metric: 'perplexity', margin: 0.5 },
  ]);
  const rd = byVariant(verdict.rules.filter((r) => r.rule === 'rd'));
  assert.ok(Math.abs(rd['teacher/w4'].bound - 10.2 * 1.1) < 1e-9, String(rd['teacher/w4'].bound));
  assert.is(rd['teacher/w4'].verdict, 'pass');
  assert.is(rd['teacher/w2'].verdict, 'fail');
  const rec = byVariant(verdict.rules.filter((r) => r.rule === 'rec'));
  assert.ok(Math.abs(rec['teacher/w2'].value! - 10.2 / 14.2) < 1e-9);
  assert.is(rec['teacher/w4'].verdict, 'pass');
  assert.is(rec['teacher/w2'].verdict, 'fail');
  const ni = byVariant(verdict.rules.filter((r) => r.rule === 'ni'));
  assert.is(ni['teacher/w4'].bound, 0.5);
  assert.ok(Math.abs(ni['teacher/w4'].value! - 0.2) < 1e-9, 'constant shift: the CI of Δ is [0.2, 0.2]');
  assert.is(ni['teacher/w4'].verdict, 'pass');
  assert.is(ni['teacher/w2'].verdict, 'fail');
});

test('per-slice rules: every value of a tag, or one value; unknown tag suggests the right one', () => {
  const verdict = gate(fullRecord(), [
    { id: 'dialects', kind: 'absolute_drop', suite: 'fair', metric: 'contains', slice: { tag: 'dialect' }, tolerance: 0.1 },
    { id: 'sco', kind: 'noninferiority', suite: 'fair', metric: 'contains', slice: { tag: 'dialect', value: 'sco' }, margin: 0.1, variants: 'teacher/w4' },
    { id: 'typo', kind: 'floor', suite: 'fair', metric: 'contains', slice: { tag: 'dialekt' }, min: 0, variants: 'teacher/w4' },
  ]);
  const dialects = byVariant(verdict.rules.filter((r) => r.rule === 'dialects'));
  assert.equal(Object.keys(dialects).sort(), ['teacher/w2:dialect=en', 'teacher/w2:dialect=sco', 'teacher/w4:dialect=en', 'teacher/w4:dialect=sco']);
  assert.is(dialects['teacher/w4:dialect=en'].verdict, 'pass');
  assert.is(dialects['teacher/w4:dialect=sco'].verdict, 'fail', 'sco lost 30 points while the overall lost 15');
  assert.is(dialects['teacher/w4:dialect=sco'].value, 0.5);
  assert.is(dialects['teacher/w2:dialect=sco'].verdict, 'pass');
  const sco = verdict.rules.filter((r) => r.rule === 'sco');
  assert.is(sco.length, 1);
  assert.is(sco[0].slice, 'dialect=sco');
  assert.is(sco[0].verdict, 'fail');
  assert.match(sco[0].reason, /unpaired \(Newcombe\)/);
  const typo = verdict.rules.filter((r) => r.rule === 'typo');
  assert.is(typo[0].verdict, 'fail');
  assert.match(typo[0].reason, /no slice tag 'dialekt'\. Did you mean: dialect\?/);
});

test('fail-closed: missing cell, errored cell, tooFew, n below minN, missing comparison', () => {
  const record = runRecord('teacher', [
    cell('teacher', 'qa', qa(BASE_QA)),
    erroredCell('teacher/err', 'qa', 'worker crashed'),
    cell('teacher/few', 'qa', qa([1, 0, 1]), undefined),
    cell('teacher/nocmp', 'qa', qa(W4_QA)),
    cell('teacher/w4', 'qa', qa(W4_QA), qa(BASE_QA)),
  ], { extraVariants: ['teacher/missing'] });
  const verdict = gate(record, [{ id: 'ni', kind: 'noninferiority', suite: 'qa', metric: 'contains', margin: 0.05 }]);
  const r = byVariant(verdict.rules);
  assert.is(r['teacher/w4'].verdict, 'pass');
  for (const id of ['teacher/err', 'teacher/few', 'teacher/nocmp', 'teacher/missing']) {
    assert.is(r[id].verdict, 'fail', id);
    assert.is(r[id].value, null, id);
  }
  assert.match(r['teacher/err'].reason, /errored: worker crashed/);
  assert.match(r['teacher/few'].reason, /too few instances.*n=3/);
  assert.match(r['teacher/nocmp'].reason, /no comparison against the baseline/);
  assert.match(r['teacher/missing'].reason, /no cell for teacher\/missing × qa/);
  assert.is(verdict.verdict, 'fail');
  const minN = gate(record, [{ id: 'f', kind: 'floor', suite: 'qa', metric: 'contains', min: 0, variants: 'teacher/w4' }], { minN: 101 });
  assert.is(minN.rules[0].verdict, 'fail');
  assert.match(minN.rules[0].reason, /n=100 is below the policy's minN 101/);
  const ruleMinN = gate(record, [{ id: 'f', kind: 'floor', suite: 'qa', metric: 'contains', min: 0, variants: 'teacher/w4', minN: 50 }], { minN: 101 });
  assert.is(ruleMinN.rules[0].verdict, 'pass', 'the rule minN overrides the policy minN');
});

test('fail-closed: a cell holding a non-finite number anywhere fails, and an invalid packed kernel fails whatever the policy', () => {
  const poisoned = cell('teacher/w4', 'qa', qa(W4_QA), qa(BASE_QA)) as Extract<CellRecord, { state: 'ok' }>;
  const metrics = (poisoned.aggregate as { metrics: Record<string, { slices: unknown[] }> }).metrics;
  metrics.contains.slices = [{ tag: 'x', slices: [{ slice: 'a', value: NaN, n: 3 }] }];
  const record = runRecord('teacher', [cell('teacher', 'qa', qa(BASE_QA)), poisoned]);
  const verdict = gate(record, [{ id: 'f', kind: 'floor', suite: 'qa', metric: 'contains', min: 0, variants: 'teacher/w4' }]);
  assert.is(verdict.verdict, 'fail');
  assert.match(verdict.rules[0].reason, /non-finite number at aggregate\.metrics\.contains\.slices\[0\]\.slices\[0\]\.value \(NaN\)/);
  const checked = { ...record, variants: record.variants.map((v) => (v.id === 'teacher/w4' ? { ...v, selfCheck: {
    version: 1, state: 'invalid' as const, form: 'W8A8 MatMulInteger', twin: 't', relRmsError: 0.06, maxAbsLogitDiff: 1.6, bound: 1e-3,
    probe: { rows: 2, tokens: 32, seed: 1 }, machine: { key: 'k', cpuModel: 'AVX2 CPU', cpuFlags: [], onnxruntime: '1.30' }, checkedAt: 'now', durationMs: 1,
  } } : v)) };
  const none = gate(checked, []);
  assert.is(none.verdict, 'fail', 'no rule at all still fails an invalid kernel');
  assert.match(none.rules[0].reason, /invalid on this hardware.*6\.00e-2 > 0\.001 on AVX2 CPU/);
});

test('fail-closed on the baseline side and on names the run does not have', () => {
  const record = runRecord('teacher', [erroredCell('teacher', 'qa', 'oom'), cell('teacher/w4', 'qa', qa(W4_QA), qa(BASE_QA))]);
  const v = gate(record, [
    { id: 'rd', kind: 'relative_drop', suite: 'qa', metric: 'contains', tolerance: 0.1 },
    { id: 'suite', kind: 'floor', suite: 'qaa', metric: 'contains', min: 0 },
    { id: 'metric', kind: 'floor', suite: 'qa', metric: 'exact_match', min: 0 },
    { id: 'glob', kind: 'floor', suite: 'qa', metric: 'contains', min: 0, variants: 'student/*' },
    { id: 'flips', kind: 'max_flip_rate', suite: 'qa', metric: 'contains', max: 0.1, variants: 'teacher' },
  ]);
  const by = Object.fromEntries(v.rules.map((r) => [r.rule, r]));
  assert.match(by.rd.reason, /^baseline teacher: cell teacher × qa errored: oom/);
  assert.match(by.suite.reason, /suite 'qaa' is not in the run\. Did you mean: qa\?/);
  assert.match(by.metric.reason, /does not report metric 'exact_match'.*Available: contains/);
  assert.match(by.glob.reason, /no variant of the run matches 'student\/\*'/);
  assert.is(by.glob.variantId, 'student/*');
  assert.match(by.flips.reason, /a variant that stands on its own is never compared: teacher/);
  assert.ok(v.rules.every((r) => r.verdict === 'fail'));
});

test('variant globs: teacher/* selects compressed variants; a floor may name the baseline', () => {
  const record = runRecord('teacher', [
    cell('teacher', 'qa', qa(BASE_QA)),
    cell('teacher/w4', 'qa', qa(W4_QA), qa(BASE_QA)),
    cell('student', 'qa', qa(W2_QA), qa(BASE_QA)),
  ]);
  const v = gate(record, [
    { id: 'glob', kind: 'floor', suite: '*', metric: 'contains', min: 0.7, variants: 'teacher/*' },
    { id: 'base', kind: 'floor', suite: 'qa', metric: 'contains', min: 0.7, variants: ['teacher'] },
  ]);
  assert.equal(v.rules.map((r) => `${r.rule}:${r.variantId}:${r.verdict}`), ['glob:teacher/w4:pass', 'base:teacher:pass']);
  assert.is(v.verdict, 'pass');
});

test('latency and memory: measured, errored, missing, and simulated skip or fail', () => {
  const record = runRecord(
    'teacher',
    [cell('teacher', 'qa', qa(BASE_QA)), cell('teacher/w4', 'qa', qa(W4_QA), qa(BASE_QA)), cell('teacher/w2-sim', 'qa', qa(W2_QA), qa(BASE_QA))],
    {
      extraVariants: ['teacher/w8', 'teacher/gone'],
      measurements: [
        measured('teacher/w4', 12, 80, 300 * 2 ** 20),
        { state: 'not-applicable', variantId: 'teacher/w2-sim', sizeBytes: 1000, reason: 'simulated: n/a (simulated)' },
        { state: 'errored', variantId: 'teacher/w8', error: 'child exited 137' },
      ],
    },
  );
  const rules: GateRule[] = [
    { id: 'lat', kind: 'latency', decodeP99Ms: 15, prefillP99Ms: 50 },
    { id: 'mem', kind: 'memory', maxPeakRssBytes: 512 * 2 ** 20 },
  ];
  const v = gate(record, rules);
  const line = (r: GateRuleResult) => `${r.rule}:${r.variantId}:${r.metric}:${r.verdict}`;
  assert.equal(v.rules.map(line), [
    'lat:teacher/w4:decode.p99Ms:pass',
    'lat:teacher/w4:prefill.p99Ms:fail',
    'lat:teacher/w2-sim:decode.p99Ms:skip',
    'lat:teacher/w2-sim:prefill.p99Ms:skip',
    'lat:teacher/w8:decode.p99Ms:fail',
    'lat:teacher/w8:prefill.p99Ms:fail',
    'lat:teacher/gone:decode.p99Ms:fail',
    'lat:teacher/gone:prefill.p99Ms:fail',
    'mem:teacher/w4:peakRssBytes:pass',
    'mem:teacher/w2-sim:peakRssBytes:skip',
    'mem:teacher/w8:peakRssBytes:fail',
    'mem:teacher/gone:peakRssBytes:fail',
  ]);
  const r = v.rules;
  assert.is(r[0].value, 12);
  assert.is(r[1].value, 80);
  assert.match(r[2].reason, /^skip \(simulated\): /);
  assert.match(r[4].reason, /errored: child exited 137/);
  assert.match(r[6].reason, /no measurement for variant teacher\/gone/);
  // Only skips and passes: the gate passes, and the skips stay in the verdict.
  const onlyOk = gate(record, rules.map((x) => ({ ...x, variants: ['teacher/w4', 'teacher/w2-sim'] })).map((x) => (x.kind === 'latency' ? { ...x, prefillP99Ms: 100 } : x)));
  assert.is(onlyOk.verdict, 'pass');
  assert.is(onlyOk.rules.filter((x) => x.verdict === 'skip').length, 3);
  // simulated: "fail", policy-wide or per rule.
  const strict = gate(record, [{ ...rules[1], variants: 'teacher/w2-sim' }], { simulated: 'fail' });
  assert.is(strict.rules[0].verdict, 'fail');
  assert.match(strict.rules[0].reason, /simulated variant has no memory figure/);
  const perRule = gate(record, [{ ...rules[1], variants: 'teacher/w2-sim', simulated: 'fail' }]);
  assert.is(perRule.rules[0].verdict, 'fail');
  // A run without measurements fails every latency rule, naming why.
  const none = gate(runRecord('teacher', [cell('teacher/w4', 'qa', qa(W4_QA), qa(BASE_QA))]), [rules[1]]);
  assert.is(none.rules[0].verdict, 'fail');
  assert.match(none.rules[0].reason, /no measurements/);
});

test('a run with only the baseline fails (nothing gated is not a pass)', () => {
  const v = gate(runRecord('teacher', [cell('teacher', 'qa', qa(BASE_QA))]), [{ id: 'ni', kind: 'noninferiority', suite: 'qa', metric: 'contains', margin: 0.05 }]);
  assert.is(v.verdict, 'fail');
  assert.match(v.rules[0].reason, /no variant that is compared with another \(standing on their own: teacher\)/);
});

test.run();
