import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateGate } from '../../../reports/gate/evaluate.js';
import { kernelsSection } from '../../../reports/sections/kernels.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { studentDir, tempDir } from '../fixtures.js';
import { TINY_MC_ROWS, writeConfig, writeMcSuite } from './fixtures.js';

const test = suite('runners/matrix/self-check-step (packed variants checked before scoring)');

function mcSuite(): string {
  return writeMcSuite(TINY_MC_ROWS);
}

function config(model: string): string {
  return writeConfig({
    models: [{ id: 'student', dir: model }],
    baseline: 'student',
    methods: [{ method: 'smoothquant' }, { method: 'rtn', bits: 4, group: 32, accuracyLevel: 0 }, { method: 'rtn', bits: 3, group: 32 }],
    suites: [mcSuite()],
    seed: 1,
    measurement: { enabled: false },
    execution: { workers: 1 },
    cacheDir: tempDir('cache'),
  });
}

const quiet = (): void => {};

test('packed variants carry their check and kernels; simulated ones have nothing to check', async () => {
  const model = studentDir('self-check step');
  if (!model) return;
  const lines: string[] = [];
  const r = await runMatrix({ configFile: config(model), outDir: tempDir('out') }, (l) => lines.push(l));
  const byId = new Map(r.record.variants.map((v) => [v.id, v]));
  const sq = byId.get('student/smoothquant-w8a8')!;
  assert.ok(sq, [...byId.keys()].join(', '));
  assert.is(sq.selfCheck?.state, 'passed');
  assert.is(sq.selfCheck?.relRmsError, 0, 'W8A8 matches its integer-exact twin exactly');
  assert.ok(sq.kernels?.int8Operands === 'u8s8' || sq.kernels?.int8Operands === 'u8u8');
  const rtn = r.record.variants.find((v) => v.method === 'rtn' && v.executionForm === 'packed')!;
  assert.is(rtn.selfCheck?.form, 'MatMulNBits accuracy_level 0');
  assert.ok(rtn.selfCheck!.relRmsError < 1e-4);
  const sim = r.record.variants.find((v) => v.executionForm === 'simulated')!;
  assert.is(sim.selfCheck, undefined);
  assert.is(r.record.complete, true);
  assert.ok(lines.some((l) => /self-checking 2 packed variants/.test(l)), lines.join('\n'));
});

test('a variant outside its bound is not scored, the gate fails it whatever the policy, the report says so', async () => {
  const model = studentDir('self-check refusal');
  if (!model) return;
  process.env.COMPBENCH_TEST_SELF_CHECK_BOUND = '-1';
  let r;
  const lines: string[] = [];
  try {
    r = await runMatrix({ configFile: config(model), outDir: tempDir('out') }, (l) => lines.push(l));
  } finally {
    delete process.env.COMPBENCH_TEST_SELF_CHECK_BOUND;
  }
  const invalid = r.record.variants.filter((v) => v.selfCheck?.state === 'invalid').map((v) => v.id);
  assert.is(invalid.length, 2);
  for (const id of invalid) {
    const cell = r.record.cells.find((c) => c.variantId === id)!;
    assert.is(cell.state, 'errored');
    assert.match(cell.state === 'errored' ? cell.error : '', /^invalid on this hardware/);
  }
  assert.ok(r.record.cells.filter((c) => !invalid.includes(c.variantId)).every((c) => c.state === 'ok'));
  assert.ok(lines.some((l) => /invalid on this hardware.*not scored/.test(l)), lines.join('\n'));
  const verdict = evaluateGate(r.record, { rules: [] }, { source: 'test', sha256: '0'.repeat(64) });
  assert.is(verdict.verdict, 'fail');
  assert.equal(verdict.rules.filter((x) => x.rule === 'builtin.self-check').map((x) => x.variantId).sort(), [...invalid].sort());
  const text = JSON.stringify(kernelsSection({ record: r.record, instances: [] }).section);
  assert.match(text, /INVALID ON THIS HARDWARE/);
});

test.run();
