import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CellRecord, GenerationLengthRecord, RunRecord } from '../../../core/run-record.js';
import { packagePath } from '../../../core/paths.js';
import { runSavings } from '../../../core/savings.js';
import { evaluateGate } from '../../../reports/gate/evaluate.js';
import { loadPolicy, parsePolicyText, type GatePolicy, type GateRule } from '../../../reports/gate/policy.js';
import { cell, measured, ones, runRecord } from './fixtures.js';

const test = suite('reports/gate/savings-rules');
const SOURCE = { source: 'test-policy.json', sha256: 'a'.repeat(64) };

/** teacher (parent), teacher/w4 (packed: 40% less RSS, p99 decode 5 vs 10 ms = 2× tokens/s), teacher/w3-sim (simulated). */
function savingsRecord(): RunRecord {
  const base = runRecord('teacher', [cell('teacher', 'qa', [{ metric: 'contains', scores: ones(8, 10) }])], { extraVariants: ['teacher/w4', 'teacher/w3-sim'] });
  const variants = base.variants.map((v) => (v.id === 'teacher' ? v : { ...v, comparedTo: 'teacher', sizeBytes: 250 }));
  const measurements = [
    measured('teacher', 10, 20, 1_000_000),
    { ...measured('teacher/w4', 5, 10, 600_000), sizeBytes: 250 },
    { state: 'not-applicable' as const, variantId: 'teacher/w3-sim', sizeBytes: 1000, reason: 'n/a (simulated): dequantized fp32 weights' },
  ];
  return { ...base, pairing: 'parent', variants, measurements, savings: runSavings(variants, measurements, undefined) };
}

function run(record: RunRecord, rules: GateRule[], options: Partial<GatePolicy> = {}) {
  return evaluateGate(record, { rules, ...options }, SOURCE).rules;
}

test('min_memory_saving: 40% less peak RSS passes min 0.3 and fails min 0.5; the simulated variant is skipped', () => {
  const rules = run(savingsRecord(), [{ id: 'mem', kind: 'min_memory_saving', min: 0.3 }]);
  const w4 = rules.find((r) => r.variantId === 'teacher/w4')!;
  assert.equal([w4.verdict, w4.metric, w4.bound], ['pass', 'peakRssBytes.saving', 0.3]);
  assert.ok(Math.abs(w4.value! - 0.4) < 1e-12);
  assert.is(rules.find((r) => r.variantId === 'teacher/w3-sim')!.verdict, 'skip');
  const strict = run(savingsRecord(), [{ id: 'mem', kind: 'min_memory_saving', min: 0.5 }]);
  assert.is(strict.find((r) => r.variantId === 'teacher/w4')!.verdict, 'fail');
  assert.match(strict.find((r) => r.variantId === 'teacher/w4')!.reason, /peak RSS saving 0\.4 < 0\.5/);
  const failSim = run(savingsRecord(), [{ id: 'mem', kind: 'min_memory_saving', min: 0.3 }], { simulated: 'fail' });
  assert.is(failSim.find((r) => r.variantId === 'teacher/w3-sim')!.verdict, 'fail');
});

test('min_disk_saving and min_speedup: 75% smaller on disk, 2× decode tokens/s', () => {
  const only = { variants: 'teacher/w4' };
  const [disk] = run(savingsRecord(), [{ id: 'disk', kind: 'min_disk_saving', min: 0.7, ...only }]);
  assert.equal([disk.verdict, disk.value], ['pass', 0.75]);
  assert.is(run(savingsRecord(), [{ id: 'disk', kind: 'min_disk_saving', min: 0.8, ...only }])[0].verdict, 'fail');
  const [fast] = run(savingsRecord(), [{ id: 'fast', kind: 'min_speedup', min: 1.5, ...only }]);
  assert.equal([fast.verdict, fast.value], ['pass', 2]);
  assert.is(run(savingsRecord(), [{ id: 'fast', kind: 'min_speedup', min: 2.5, ...only }])[0].verdict, 'fail');
});

test('fail-closed: a record without savings fails a savings rule with the reason', () => {
  const { savings: _s, ...record } = savingsRecord();
  const [r] = run(record as RunRecord, [{ id: 'mem', kind: 'min_memory_saving', min: 0.1, variants: 'teacher/w4' }]);
  assert.equal([r.verdict, r.value], ['fail', null]);
  assert.match(r.reason, 'the run has no savings');
});

function generateCell(variantId: string, generation: GenerationLengthRecord | undefined): CellRecord {
  const c = cell(variantId, 'gen', [{ metric: 'contains', scores: ones(5, 10) }]);
  return generation && c.state === 'ok' ? { ...c, generation } : c;
}

function lengths(median: number, p95: number, hitLimit = 0): GenerationLengthRecord {
  return { n: 10, meanTokens: median, medianTokens: median, p95Tokens: p95, maxTokens: p95, hitLimit, hitLimitRate: hitLimit / 10, finishReasons: { eos: 10 - hitLimit, length: hitLimit }, errored: 0, unrecorded: 0 };
}

test('max_generation_length_ratio: median 12 vs 6 tokens (2×) fails max 1.5 and passes max 2.5; p95 reads the p95', () => {
  const record = { ...runRecord('teacher', [generateCell('teacher', lengths(6, 10)), generateCell('teacher/w2', lengths(12, 30, 4))]), pairing: 'parent' as const };
  record.variants = record.variants.map((v) => (v.id === 'teacher' ? v : { ...v, comparedTo: 'teacher' }));
  const [tight] = run(record, [{ id: 'len', kind: 'max_generation_length_ratio', max: 1.5 }]);
  assert.equal([tight.verdict, tight.value, tight.suiteId, tight.metric], ['fail', 2, 'gen', 'generatedTokens.median']);
  assert.match(tight.reason, 'median length 12 vs 6 tokens of teacher');
  assert.is(run(record, [{ id: 'len', kind: 'max_generation_length_ratio', max: 2.5 }])[0].verdict, 'pass');
  const [p95] = run(record, [{ id: 'len', kind: 'max_generation_length_ratio', max: 2.5, statistic: 'p95' }]);
  assert.equal([p95.verdict, p95.value], ['fail', 3]);
});

test('max_generation_length_ratio fails closed without lengths or with a parent median of 0', () => {
  const noLengths = { ...runRecord('teacher', [generateCell('teacher', undefined), generateCell('teacher/w2', lengths(3, 4))]), pairing: 'parent' as const };
  noLengths.variants = noLengths.variants.map((v) => (v.id === 'teacher' ? v : { ...v, comparedTo: 'teacher' }));
  const [a] = run(noLengths, [{ id: 'len', kind: 'max_generation_length_ratio', max: 2 }]);
  assert.equal([a.verdict, a.value], ['fail', null]);
  assert.match(a.reason, 'parent teacher: cell teacher × gen records no generation lengths');
  const zero = { ...noLengths, cells: [generateCell('teacher', lengths(0, 0)), generateCell('teacher/w2', lengths(3, 4))] };
  assert.match(run(zero, [{ id: 'len', kind: 'max_generation_length_ratio', max: 2 }])[0].reason, "parent teacher's median length is 0 tokens");
});

test('the policy schema: savings rules need min and no suite; memory and disk savings are at most 1; statistic only on the length rule', () => {
  const bad = (rule: object): string => {
    try {
      parsePolicyText(JSON.stringify({ rules: [{ id: 'r', ...rule }] }), 'p.json');
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };
  assert.match(bad({ kind: 'min_memory_saving' }), "$.rules[0]: missing required field 'min'");
  assert.match(bad({ kind: 'min_disk_saving', min: 0.5, suite: 'qa' }), 'savings rules read the variant\'s savings against its parent, not a suite');
  assert.match(bad({ kind: 'min_memory_saving', min: 1.5 }), '$.rules[0].min: must be <= 1');
  assert.is(bad({ kind: 'min_speedup', min: 1.5 }), '');
  assert.match(bad({ kind: 'floor', suite: 'qa', metric: 'acc', min: 0.5, statistic: 'p95' }), 'statistic applies to max_generation_length_ratio only');
  assert.match(bad({ kind: 'max_generation_length_ratio', max: 2, metric: 'acc' }), 'remove metric and slice');
  assert.is(bad({ kind: 'max_generation_length_ratio', max: 2, suite: 'knowledge-closed', statistic: 'p95' }), '');
  assert.match(bad({ kind: 'max_generation_length_ratio', max: 2, statistic: 'p99' }), "Unknown length statistic 'p99'");
});

test('docs/savings-policy.json (the example in docs/savings.md) is a valid policy using every new kind', () => {
  const { policy } = loadPolicy(packagePath('docs', 'savings-policy.json'));
  assert.equal([...new Set(policy.rules.map((r) => r.kind))].sort(), ['max_generation_length_ratio', 'min_disk_saving', 'min_memory_saving', 'min_speedup']);
});

test.run();
